package io.shoal.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real private registry for tests: the one in {@code SHOAL_TEST_REGISTRY} ({@code host:port})
 * when set, else one {@code docker-registry} started per test JVM (no auth, its own storage in a
 * temp dir, deletes enabled) and stopped when the JVM exits. For a registry with basic auth, call
 * {@link RegistryTestServer#startWithBasicAuth}.
 *
 * <pre>{@code
 * @ExtendWith({DockerExtension.class, RegistryExtension.class})
 * class PullIT {
 *   @Test void pulls(DockerTestEngine docker, RegistryTestServer registry) {
 *     String image = TestImages.busybox(registry.image("shoal-test/web") + ":1").push(docker);
 *   }
 * }
 * }</pre>
 */
public final class RegistryExtension implements ParameterResolver {
  public static final String REGISTRY_ENV = "SHOAL_TEST_REGISTRY";
  private static RegistryTestServer registry;

  /** The registry for this JVM, started on first use. */
  public static synchronized RegistryTestServer registry() {
    if (registry == null) {
      String address = System.getenv(REGISTRY_ENV);
      registry = address != null && !address.isBlank()
          ? new RegistryTestServer(address.strip())
          : RegistryTestServer.start();
    }
    return registry;
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    return p.getParameter().getType() == RegistryTestServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    return registry();
  }
}
