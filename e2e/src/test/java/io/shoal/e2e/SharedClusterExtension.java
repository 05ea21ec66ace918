package io.shoal.e2e;

import io.shoal.testing.LabExtension;
import io.shoal.testing.RegistryExtension;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ONE {@link LocalCluster} on every host of the lab, with the lab's registry, for every test
 * class of a JVM that needs no part or flag of its own: a {@code LocalCluster} parameter. Starting
 * ten JVMs took about 30 s per class on two cores; a class now costs a {@link LocalCluster#clear}.
 * After each class every service, network, secret and config is removed (a class may clear
 * between its own tests too). A class that left a part dead gets the next class a new cluster.
 * The cluster stops when the test run ends.
 *
 * <pre>{@code
 * @ExtendWith({LabExtension.class, DockerExtension.class, RegistryExtension.class, SharedClusterExtension.class})
 * class WebIT {
 *   @BeforeAll static void start(LocalCluster shared) { cluster = shared; }
 * }
 * }</pre>
 */
final class SharedClusterExtension implements ParameterResolver, AfterAllCallback {
  private static final Logger log = LoggerFactory.getLogger(SharedClusterExtension.class);
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedClusterExtension.class);
  private static final Duration READY = Duration.ofSeconds(90);

  /**
   * Stops the cluster when the run's root context closes, before the lab's shutdown hook takes it
   * down; once, whichever of its two interfaces JUnit closes it through.
   */
  private static final class Running implements AutoCloseable, ExtensionContext.Store.CloseableResource {
    private final LocalCluster cluster;
    private boolean closed;

    Running(LocalCluster cluster) {
      this.cluster = cluster;
    }

    LocalCluster cluster() {
      return cluster;
    }

    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        cluster.close();
      }
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    return p.getParameter().getType() == LocalCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    ExtensionContext.Store store = e.getRoot().getStore(NAMESPACE);
    Running running = store.get(Running.class, Running.class);
    if (running != null && !running.cluster().alive()) {
      log.warn("the shared cluster lost a part; starting a new one:\n{}", running.cluster().logs());
      store.remove(Running.class);
      running.close();
      running = null;
    }
    if (running == null) {
      LocalCluster cluster = new LocalCluster(LabExtension.lab(), LabExtension.lab().registry(RegistryExtension.registry()));
      running = new Running(cluster);
      store.put(Running.class, running);
    }
    // Every node Ready again, also after a class that restarted an agent.
    running.cluster().awaitReadyNodes(READY);
    return running.cluster();
  }

  @Override
  public void afterAll(ExtensionContext e) {
    Running running = e.getRoot().getStore(NAMESPACE).get(Running.class, Running.class);
    if (running != null && running.cluster().alive()) {
      running.cluster().clear();
    }
  }
}
