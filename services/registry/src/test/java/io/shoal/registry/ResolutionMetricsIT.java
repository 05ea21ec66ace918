package io.shoal.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.v1.ResolveImageRequest;
import io.shoal.common.telemetry.Telemetry;
import io.shoal.testing.ExternalProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Resolution outcomes and cache hits on the registry service's /metrics. */
class ResolutionMetricsIT {
  @Test
  void outcomesAndCacheHitsAreCounted() throws Exception {
    int port = ExternalProcess.freePort();
    try (FakeTokenRegistry registry = new FakeTokenRegistry("alice", "pw");
        Telemetry telemetry = Telemetry.start("shoal-registry-test", "127.0.0.1", port)) {
      ImageResolver resolver = new ImageResolver(new ManifestResolver(Set.of(), Duration.ofSeconds(5)),
          new ResolutionCache(Duration.ofMinutes(1), Clock.systemUTC()), telemetry);
      io.shoal.api.v1.RegistryAuth login = io.shoal.api.v1.RegistryAuth.newBuilder()
          .setServerAddress(registry.address()).setUsername("alice").setPassword("pw").build();
      String tag = registry.address() + "/team/app:1";

      resolver.resolve(ResolveImageRequest.newBuilder().setImage(tag).setAuth(login).build());
      resolver.resolve(ResolveImageRequest.newBuilder().setImage(tag).setAuth(login).build());
      resolver.resolve(registry.address() + "/bare/app:1");
      resolver.resolve(tag + "@sha256:" + "f".repeat(64));
      resolver.resolve(ResolveImageRequest.newBuilder().setImage(tag).setValidateOnly(true).build());

      String metrics = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertThat(metrics)
          .containsPattern("shoal_registry_resolutions_total\\{[^}]*outcome=\"pinned\"[^}]*} 2")
          .containsPattern("shoal_registry_resolutions_total\\{[^}]*outcome=\"unpinned\"[^}]*} 1")
          .containsPattern("shoal_registry_resolutions_total\\{[^}]*outcome=\"given\"[^}]*} 1")
          .containsPattern("shoal_registry_resolutions_total\\{[^}]*outcome=\"validated\"[^}]*} 1")
          .containsPattern("shoal_registry_resolution_cache_hits(_total)?\\{[^}]*} 1")
          .containsPattern("shoal_registry_resolution_cache_evictions(_total)?\\{[^}]*reason=\"size\"[^}]*} 0");
      assertThat(registry.tokenQueries).hasSize(1);
    }
  }
}
