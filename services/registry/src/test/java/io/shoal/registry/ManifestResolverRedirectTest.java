package io.shoal.registry;

import io.shoal.common.registry.ImageReference;

import static io.shoal.registry.RecordingHttpServer.respond;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.api.v1.RegistryAuth;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Where credentials go: a registry that redirects (to a storage host, as registries do for
 * blobs and manifests), and bearer realms on other hosts, against real HTTP servers on
 * 127.0.0.1 (the registry) and 127.0.0.2 (another host) that record what they received.
 */
class ManifestResolverRedirectTest {
  private static final String DIGEST = "sha256:" + "d".repeat(64);
  private static final String PASSWORD = "pw-" + Long.toHexString(System.nanoTime());
  private static final String BASIC =
      "Basic " + Base64.getEncoder().encodeToString(("alice:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
  private static final String TOKEN = "tok-" + Long.toHexString(System.nanoTime());

  private final ManifestResolver resolver = new ManifestResolver(Set.of(), Duration.ofSeconds(5));
  private final List<RecordingHttpServer> servers = new ArrayList<>();
  /** Another host, serving the manifest to anyone, as a storage backend does with signed URLs. */
  private final RecordingHttpServer storage = server("127.0.0.2",
      exchange -> respond(exchange, 200, Map.of("Docker-Content-Digest", DIGEST)));

  @AfterEach
  void stop() {
    servers.forEach(RecordingHttpServer::close);
  }

  private RecordingHttpServer server(String host, RecordingHttpServer.Handler handler) {
    RecordingHttpServer server = new RecordingHttpServer(host, handler);
    servers.add(server);
    return server;
  }

  private static ImageReference ref(RecordingHttpServer registry) {
    return ImageReference.parse(registry.address() + "/team/app:1", "image");
  }

  private static Optional<RegistryAuth> login(RecordingHttpServer registry) {
    return Optional.of(RegistryAuth.newBuilder().setServerAddress(registry.address())
        .setUsername("alice").setPassword(PASSWORD).build());
  }

  @Test
  void aRedirectToAnotherHostCarriesNoBasicCredentialsAndStillResolves() throws Exception {
    RecordingHttpServer registry = server("127.0.0.1", exchange -> {
      if (!BASIC.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        respond(exchange, 401, Map.of("WWW-Authenticate", "Basic realm=\"registry\""));
        return;
      }
      respond(exchange, 307, Map.of("Location", storage.url("/signed/manifest?sig=x")));
    });

    assertThat(resolver.resolveDigest(ref(registry), login(registry))).isEqualTo(DIGEST);

    assertThat(registry.requests).extracting(RecordingHttpServer.Request::authorization).contains(BASIC);
    assertThat(storage.requests).isNotEmpty()
        .allSatisfy(r -> assertThat(r.authorization()).isNull());
  }

  @Test
  void aRedirectToAnotherHostCarriesNoBearerToken() throws Exception {
    RecordingHttpServer[] self = new RecordingHttpServer[1];
    RecordingHttpServer registry = server("127.0.0.1", exchange -> {
      String path = exchange.getRequestURI().getPath();
      if (path.equals("/token")) {
        respond(exchange, BASIC.equals(exchange.getRequestHeaders().getFirst("Authorization")) ? 200 : 401,
            "{\"token\": \"" + TOKEN + "\"}");
      } else if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        respond(exchange, 401, Map.of("WWW-Authenticate", "Bearer realm=\"" + self[0].url("/token") + "\""));
      } else {
        respond(exchange, 302, Map.of("Location", storage.url("/signed/manifest")));
      }
    });
    self[0] = registry;

    assertThat(resolver.resolveDigest(ref(registry), login(registry))).isEqualTo(DIGEST);

    assertThat(registry.requests).extracting(RecordingHttpServer.Request::authorization)
        .contains(BASIC, "Bearer " + TOKEN);
    assertThat(storage.requests).isNotEmpty()
        .allSatisfy(r -> assertThat(r.authorization()).isNull());
  }

  @Test
  void aRedirectOnTheRegistrysOwnOriginKeepsTheCredentials() throws Exception {
    RecordingHttpServer registry = server("127.0.0.1", exchange -> {
      if (!BASIC.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        respond(exchange, 401, Map.of("WWW-Authenticate", "Basic realm=\"registry\""));
      } else if (exchange.getRequestURI().getPath().endsWith("/moved")) {
        respond(exchange, 200, Map.of("Docker-Content-Digest", DIGEST));
      } else {
        respond(exchange, 308, Map.of("Location", "/v2/team/app/manifests/moved"));
      }
    });

    assertThat(resolver.resolveDigest(ref(registry), login(registry))).isEqualTo(DIGEST);
    assertThat(registry.requests).anySatisfy(r -> {
      assertThat(r.path()).endsWith("/moved");
      assertThat(r.authorization()).isEqualTo(BASIC);
    });
  }

  @Test
  void theSameHostOnAnotherPortIsAnotherOriginAndGetsNoCredentials() throws Exception {
    RecordingHttpServer sameHost = server("127.0.0.1",
        exchange -> respond(exchange, 200, Map.of("Docker-Content-Digest", DIGEST)));
    RecordingHttpServer registry = server("127.0.0.1", exchange -> {
      if (!BASIC.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        respond(exchange, 401, Map.of("WWW-Authenticate", "Basic realm=\"registry\""));
        return;
      }
      respond(exchange, 307, Map.of("Location", sameHost.url("/manifest")));
    });

    assertThat(resolver.resolveDigest(ref(registry), login(registry))).isEqualTo(DIGEST);
    assertThat(sameHost.requests).isNotEmpty().allSatisfy(r -> assertThat(r.authorization()).isNull());
  }

  @Test
  void aPlainHttpRealmOnAnotherHostGetsNoCredentialsAndTheErrorNamesIt() {
    RecordingHttpServer realm = server("127.0.0.2", exchange -> respond(exchange, 200, "{\"token\": \"x\"}"));
    RecordingHttpServer registry = server("127.0.0.1", exchange -> respond(exchange, 401,
        Map.of("WWW-Authenticate", "Bearer realm=\"" + realm.url("/token") + "\",service=\"s\"")));

    assertThatThrownBy(() -> resolver.resolveDigest(ref(registry), login(registry)))
        .isInstanceOf(ManifestResolver.UnresolvedException.class)
        .hasMessageContaining("registry " + registry.address())
        .hasMessageContaining("token realm " + realm.url("/token"))
        .hasMessageContaining("plain HTTP on another host")
        .hasMessageNotContaining(PASSWORD);
    assertThat(realm.requests).isEmpty();
  }

  @Test
  void withoutCredentialsAPlainHttpRealmOnAnotherHostIsStillAskedForAnAnonymousToken() throws Exception {
    RecordingHttpServer realm = server("127.0.0.2",
        exchange -> respond(exchange, 200, "{\"token\": \"" + TOKEN + "\"}"));
    RecordingHttpServer registry = server("127.0.0.1", exchange -> {
      if (("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        respond(exchange, 200, Map.of("Docker-Content-Digest", DIGEST));
      } else {
        respond(exchange, 401, Map.of("WWW-Authenticate", "Bearer realm=\"" + realm.url("/token") + "\""));
      }
    });

    assertThat(resolver.resolveDigest(ref(registry), Optional.empty())).isEqualTo(DIGEST);
    assertThat(realm.requests).singleElement().satisfies(r -> assertThat(r.authorization()).isNull());
  }

  @Test
  void aTokenEndpointRedirectingToAnotherHostDoesNotForwardTheLogin() {
    RecordingHttpServer elsewhere = server("127.0.0.2", exchange -> respond(exchange, 401, ""));
    RecordingHttpServer[] self = new RecordingHttpServer[1];
    RecordingHttpServer registry = server("127.0.0.1", exchange -> {
      if (exchange.getRequestURI().getPath().equals("/token")) {
        respond(exchange, 307, Map.of("Location", elsewhere.url("/token")));
      } else {
        respond(exchange, 401, Map.of("WWW-Authenticate", "Bearer realm=\"" + self[0].url("/token") + "\""));
      }
    });
    self[0] = registry;

    assertThatThrownBy(() -> resolver.resolveDigest(ref(registry), login(registry)))
        .isInstanceOf(ManifestResolver.UnresolvedException.class);
    assertThat(registry.requests).extracting(RecordingHttpServer.Request::authorization).contains(BASIC);
    assertThat(elsewhere.requests).isNotEmpty().allSatisfy(r -> assertThat(r.authorization()).isNull());
  }

  @Test
  void endlessRedirectsStopAfterTheBound() {
    RecordingHttpServer registry = server("127.0.0.1",
        exchange -> respond(exchange, 302, Map.of("Location", "/v2/team/app/manifests/1")));

    assertThatThrownBy(() -> resolver.resolveDigest(ref(registry), Optional.empty()))
        .isInstanceOf(ManifestResolver.UnresolvedException.class)
        .hasMessageContaining("registry " + registry.address())
        .hasMessageContaining("more than " + ManifestResolver.MAX_REDIRECTS + " redirects");
    assertThat(registry.requests).hasSize(ManifestResolver.MAX_REDIRECTS + 1);
  }
}
