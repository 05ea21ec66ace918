package io.shoal.registry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.Scope;
import io.shoal.common.registry.ImageReference;

import io.shoal.api.v1.RegistryAuth;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Asks a registry (HTTP API v2) which digest a tag points to now: HEAD on the manifest, GET when
 * HEAD gives no digest. Auth follows the registry's challenge, as dockerd does: none until a
 * 401, then HTTP basic with the given credentials ({@code WWW-Authenticate: Basic}), or the
 * bearer-token flow ({@code Bearer realm=…,service=…,scope=…}: a token from the realm, with the
 * credentials as basic auth when given, then the request again with the token). Registries on
 * loopback, and those named insecure, are spoken to over plain HTTP, as dockerd does.
 *
 * <p>Where credentials go: redirects are followed here, not by the HttpClient (JDK 17's keeps
 * the Authorization header on a redirect to any host). The login and the bearer token go only
 * to the registry's own origin (scheme, host and port): a redirect elsewhere, such as a storage
 * host serving a signed URL, gets the request without them. The login goes to a token realm only
 * over HTTPS, or in plain HTTP to the registry's own host when the registry itself is spoken to
 * in plain HTTP; any other realm is refused with an error naming it. Without a login, any realm
 * may hand out an anonymous token.
 *
 * <p>Credentials never appear in an exception message or a log line.
 */
public final class ManifestResolver {
  static final String ACCEPT =
      String.join(", ",
          "application/vnd.docker.distribution.manifest.list.v2+json",
          "application/vnd.oci.image.index.v1+json",
          "application/vnd.docker.distribution.manifest.v2+json",
          "application/vnd.oci.image.manifest.v1+json");
  private static final Pattern CHALLENGE_PARAM = Pattern.compile("(\\w+)\\s*=\\s*(?:\"([^\"]*)\"|([^\\s,]+))");

  /** The registry could not tell the digest: unreachable, unknown tag, or refused. */
  public static final class UnresolvedException extends Exception {
    public UnresolvedException(String message) {
      super(message);
    }
  }

  /** Redirects followed for one request, as Go's HTTP client (dockerd's) does; then it fails. */
  static final int MAX_REDIRECTS = 10;

  private final HttpClient http;
  private final Tracer tracer;
  private final Set<String> insecureRegistries;
  private final Duration timeout;

  public ManifestResolver(Set<String> insecureRegistries, Duration timeout) {
    this(insecureRegistries, timeout, TracerProvider.noop().get("shoal-registry"));
  }

  /** As above, each HTTP request a client span of {@code tracer} (in the trace of the call that asked). */
  public ManifestResolver(Set<String> insecureRegistries, Duration timeout, Tracer tracer) {
    this.tracer = tracer;
    this.insecureRegistries = insecureRegistries;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /** Returns the digest ({@code sha256:…}) of {@code ref}'s tag, anonymously. */
  public String resolveDigest(ImageReference ref) throws UnresolvedException {
    return resolveDigest(ref, Optional.empty());
  }

  /** Returns the digest ({@code sha256:…}) of {@code ref}'s tag, logging in with {@code auth} when asked. */
  public String resolveDigest(ImageReference ref, Optional<RegistryAuth> auth) throws UnresolvedException {
    URI uri = URI.create(scheme(ref.apiHost()) + "://" + ref.apiHost() + "/v2/" + ref.path() + "/manifests/" + ref.tag());
    try {
      HttpResponse<byte[]> head = send(ref, uri, "HEAD", null);
      String authorization = null;
      if (head.statusCode() == 401) {
        authorization = authorize(head, ref, auth);
        head = send(ref, uri, "HEAD", authorization);
        if (head.statusCode() == 401) {
          throw new UnresolvedException(refused(ref, auth, "the registry"));
        }
      }
      if (head.statusCode() == 200) {
        Optional<String> digest = head.headers().firstValue("Docker-Content-Digest");
        if (digest.isPresent()) {
          return digest.get();
        }
      }
      HttpResponse<byte[]> get = send(ref, uri, "GET", authorization);
      if (get.statusCode() == 200) {
        return get.headers().firstValue("Docker-Content-Digest").orElseGet(() -> sha256(get.body()));
      }
      if (get.statusCode() == 401) {
        throw new UnresolvedException(refused(ref, auth, "the registry"));
      }
      throw new UnresolvedException(describe(ref, get.statusCode()));
    } catch (IOException e) {
      throw new UnresolvedException("registry " + ref.registry() + " unreachable: "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnresolvedException("interrupted while asking " + ref.registry());
    }
  }

  /** The Authorization header value that answers the 401's challenge. */
  private String authorize(HttpResponse<?> challenge, ImageReference ref, Optional<RegistryAuth> auth)
      throws UnresolvedException, IOException, InterruptedException {
    String header = challenge.headers().firstValue("WWW-Authenticate").orElse("").strip();
    String scheme = header.contains(" ") ? header.substring(0, header.indexOf(' ')) : header;
    Map<String, String> params = challengeParams(header.substring(scheme.length()));
    switch (scheme.toLowerCase(Locale.ROOT)) {
      case "basic" -> {
        if (auth.isEmpty()) {
          throw new UnresolvedException("registry " + ref.registry() + " requires a login (HTTP basic auth, realm \""
              + params.getOrDefault("realm", "") + "\"); run `shoal login " + ref.registry()
              + "` and pass --with-registry-auth");
        }
        return basic(auth.get());
      }
      case "bearer" -> {
        return "Bearer " + fetchToken(params, ref, auth);
      }
      default -> throw new UnresolvedException("registry " + ref.registry() + " answered 401 without a usable challenge ("
          + (header.isEmpty() ? "no WWW-Authenticate header" : "WWW-Authenticate: " + header)
          + "); Shoal speaks HTTP basic and bearer tokens only");
    }
  }

  /** Splits {@code realm="x",service=y} into its parameters (names lower-cased). */
  static Map<String, String> challengeParams(String text) {
    Map<String, String> params = new LinkedHashMap<>();
    Matcher m = CHALLENGE_PARAM.matcher(text);
    while (m.find()) {
      params.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2) != null ? m.group(2) : m.group(3));
    }
    return params;
  }

  private String fetchToken(Map<String, String> params, ImageReference ref, Optional<RegistryAuth> auth)
      throws UnresolvedException, IOException, InterruptedException {
    String realm = params.get("realm");
    if (realm == null || realm.isEmpty()) {
      throw new UnresolvedException("registry " + ref.registry()
          + " answered 401 without a usable challenge (a bearer challenge without a realm)");
    }
    StringBuilder url = new StringBuilder(realm).append(realm.contains("?") ? '&' : '?');
    url.append("scope=").append(enc(params.getOrDefault("scope", "repository:" + ref.path() + ":pull")));
    if (params.containsKey("service")) {
      url.append("&service=").append(enc(params.get("service")));
    }
    if (auth.isPresent()) {
      // As dockerd does: some token servers want the account named as well as authenticated.
      url.append("&account=").append(enc(auth.get().getUsername()));
    }
    URI tokenUri;
    try {
      tokenUri = URI.create(url.toString());
      HttpRequest.newBuilder(tokenUri); // refuses any scheme but http(s)
    } catch (IllegalArgumentException e) {
      throw new UnresolvedException("registry " + ref.registry() + " answered 401 without a usable challenge"
          + " (bearer realm \"" + realm + "\" is not an http(s) URL)");
    }
    Optional<String> unsafe = auth.isPresent() ? plainHttpRealm(tokenUri, ref) : Optional.empty();
    if (unsafe.isPresent()) {
      throw new UnresolvedException("registry " + ref.registry() + " sends its login to token realm " + realm
          + ", " + unsafe.get() + "; Shoal sends credentials to a realm only over HTTPS, or in plain HTTP to the"
          + " registry's own host when the registry itself is spoken to in plain HTTP");
    }
    HttpResponse<byte[]> response = follow(ref, tokenUri, "GET", auth.map(ManifestResolver::basic).orElse(null), null);
    if (response.statusCode() == 401 || response.statusCode() == 403) {
      throw new UnresolvedException(refused(ref, auth, "the token endpoint " + tokenUri.getHost()
          + (tokenUri.getPort() > 0 ? ":" + tokenUri.getPort() : "") + " of"));
    }
    if (response.statusCode() != 200) {
      throw new UnresolvedException("token endpoint of registry " + ref.registry() + " answered " + response.statusCode());
    }
    return TokenResponse.token(response.body()).orElseThrow(() ->
        new UnresolvedException("token endpoint of registry " + ref.registry() + " sent no token"));
  }

  private static String refused(ImageReference ref, Optional<RegistryAuth> auth, String who) {
    String prefix = who.endsWith(" of") ? who + " registry " + ref.registry() : "registry " + ref.registry();
    if (auth.isEmpty()) {
      return prefix + " refused anonymous access to " + ref.path()
          + " (401); run `shoal login " + ref.registry() + "` and pass --with-registry-auth";
    }
    return prefix + " refused the credentials of user " + auth.get().getUsername() + " for " + ref.path()
        + " (401: wrong username or password, or no pull access); run `shoal login " + ref.registry() + "` again";
  }

  private static String basic(RegistryAuth auth) {
    return "Basic " + Base64.getEncoder().encodeToString(
        (auth.getUsername() + ":" + auth.getPassword()).getBytes(StandardCharsets.UTF_8));
  }

  /** A request to the registry: the manifest Accept header, {@code authorization} only on its origin. */
  private HttpResponse<byte[]> send(ImageReference ref, URI uri, String method, String authorization)
      throws UnresolvedException, IOException, InterruptedException {
    return follow(ref, uri, method, authorization, ACCEPT);
  }

  /**
   * Sends {@code method} to {@code uri} and follows up to {@link #MAX_REDIRECTS} redirects, with
   * {@code authorization} (if any) on requests to {@code uri}'s own origin only.
   */
  private HttpResponse<byte[]> follow(ImageReference ref, URI uri, String method, String authorization, String accept)
      throws UnresolvedException, IOException, InterruptedException {
    URI target = uri;
    String verb = method;
    for (int redirects = 0; ; redirects++) {
      HttpRequest.Builder b = HttpRequest.newBuilder(target).timeout(timeout)
          .method(verb, HttpRequest.BodyPublishers.noBody());
      if (accept != null) {
        b.header("Accept", accept);
      }
      if (authorization != null && sameOrigin(uri, target)) {
        b.header("Authorization", authorization);
      }
      HttpResponse<byte[]> response = traced(b.build());
      int status = response.statusCode();
      Optional<String> location = response.headers().firstValue("Location");
      if (!REDIRECTS.contains(status) || location.isEmpty()) {
        return response;
      }
      // Messages name the redirect's host only: a signed storage URL carries a secret in its query.
      if (redirects >= MAX_REDIRECTS) {
        throw new UnresolvedException("registry " + ref.registry() + " sent more than " + MAX_REDIRECTS
            + " redirects for " + uri.getPath());
      }
      try {
        target = target.resolve(location.get());
      } catch (IllegalArgumentException e) {
        throw new UnresolvedException("registry " + ref.registry() + " redirected to something that is not a URL");
      }
      if (!"http".equals(target.getScheme()) && !"https".equals(target.getScheme())) {
        throw new UnresolvedException("registry " + ref.registry() + " redirected to a " + target.getScheme()
            + " URL on " + target.getHost() + "; only http(s) is followed");
      }
      if (status == 303 && !verb.equals("HEAD")) {
        verb = "GET";
      }
    }
  }

  /**
   * Sends {@code request} as a client span named by its method (OpenTelemetry's HTTP names),
   * when the call that asked is traced. The span names the URL's path, never its query: a
   * redirect to storage signs its query with a secret.
   */
  private HttpResponse<byte[]> traced(HttpRequest request) throws IOException, InterruptedException {
    if (!Span.current().getSpanContext().isSampled()) {
      return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }
    URI uri = request.uri();
    Span span = tracer.spanBuilder(request.method()).setSpanKind(SpanKind.CLIENT)
        .setAttribute("http.request.method", request.method())
        .setAttribute("server.address", uri.getHost())
        .setAttribute("server.port", (long) port(uri))
        .setAttribute("url.path", uri.getRawPath() == null ? "" : uri.getRawPath())
        .startSpan();
    try (Scope ignored = span.makeCurrent()) {
      HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      span.setAttribute("http.response.status_code", (long) response.statusCode());
      if (response.statusCode() >= 400) {
        span.setStatus(StatusCode.ERROR);
      }
      return response;
    } catch (IOException | RuntimeException e) {
      span.recordException(e);
      span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
      throw e;
    } finally {
      span.end();
    }
  }

  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

  /** Same scheme, host and port: where the registry (or the realm) itself is. */
  static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme())
        && a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost())
        && port(a) == port(b);
  }

  private static int port(URI uri) {
    return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  /**
   * Why the login must not go to {@code realm} (plain HTTP on another host, or beside a registry
   * spoken to over HTTPS); empty when it may: HTTPS anywhere, plain HTTP on a plain-HTTP
   * registry's own host.
   */
  private Optional<String> plainHttpRealm(URI realm, ImageReference ref) {
    if ("https".equalsIgnoreCase(realm.getScheme())) {
      return Optional.empty();
    }
    URI registry = URI.create(scheme(ref.apiHost()) + "://" + ref.apiHost() + "/");
    if (!registry.getHost().equalsIgnoreCase(realm.getHost())) {
      return Optional.of("plain HTTP on another host");
    }
    return registry.getScheme().equals("http") ? Optional.empty()
        : Optional.of("plain HTTP while the registry itself is spoken to over HTTPS");
  }

  private String scheme(String host) {
    String bare = host.contains(":") && !host.endsWith("]") ? host.substring(0, host.lastIndexOf(':')) : host;
    boolean loopback = bare.equals("localhost") || bare.startsWith("127.") || bare.equals("[::1]");
    return loopback || insecureRegistries.contains(host) ? "http" : "https";
  }

  private static String describe(ImageReference ref, int status) {
    return switch (status) {
      case 403 -> "registry " + ref.registry() + " refused access to " + ref.path() + " (403)";
      case 404 -> "manifest for " + ref.familiarName() + ":" + ref.tag() + " not found on " + ref.registry();
      default -> "registry " + ref.registry() + " answered " + status + " for " + ref.familiarName() + ":" + ref.tag();
    };
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String sha256(byte[] body) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
