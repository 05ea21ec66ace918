package io.shoal.cli.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.v1.DeleteServiceRequest;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.UpdateServiceRequest;
import io.shoal.cli.testing.CliHarness;
import io.shoal.cli.testing.CliHarness.Result;
import io.shoal.cli.testing.Fixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServiceRmAndScaleCommandTest {
  @RegisterExtension final CliHarness cli = new CliHarness();

  Service web;
  Service api;

  @BeforeEach
  void seed() {
    web = cli.control().addService(Fixtures.replicated("web", "nginx", 1));
    api = cli.control().addService(Fixtures.replicated("api", "api:1", 2));
  }

  @ParameterizedTest
  @ValueSource(strings = {"rm", "remove"})
  void rmDeletesEachAndPrintsItsName(String verb) {
    Result r = cli.run("service", verb, "web", "api");
    assertThat(r.exitCode()).isZero();
    assertThat(r.outLines()).containsExactly("web", "api");
    assertThat(cli.control().deletes())
        .extracting(DeleteServiceRequest::getService)
        .containsExactly("web", "api");
  }

  @Test
  void rmGoesOnAfterAFailureAndExitsOne() {
    Result r = cli.run("service", "rm", "nope", "web");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.outLines()).containsExactly("web");
    assertThat(r.errLines()).containsExactly("shoal: service nope not found (NOT_FOUND)");
  }

  @Test
  void scaleUpdatesReplicasOfEachService() {
    Result r = cli.run("service", "scale", "-d", "web=3", "api=0");
    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.outLines()).containsExactly("web scaled to 3", "api scaled to 0");
    assertThat(cli.control().updates())
        .extracting(u -> u.getSpec().getName() + "=" + u.getSpec().getReplicated().getReplicas())
        .containsExactly("web=3", "api=0");
    assertThat(cli.control().updates())
        .extracting(UpdateServiceRequest::getVersion)
        .containsExactly(web.getVersion(), api.getVersion());
  }

  @Test
  void scaleWaitsForEachServiceUnlessDetached() {
    cli.control().simulateScheduler(true);
    Result r = cli.run("service", "scale", "web=2");
    assertThat(r.exitCode()).isZero();
    assertThat(r.outLines())
        .startsWith("web scaled to 2", "overall progress: 0 out of 2 tasks")
        .endsWith("verify: Service converged");
  }

  @Test
  void scaleOfAGlobalServiceIsAnError() {
    cli.control().addService(Fixtures.global("agent", "agent:1"));
    Result r = cli.run("service", "scale", "-d", "agent=3", "web=2");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.errLines())
        .containsExactly(
            "shoal: scale can only be used with replicated mode (service agent is global)");
    assertThat(r.outLines()).containsExactly("web scaled to 2");
  }

  @ParameterizedTest
  @ValueSource(strings = {"web", "web=", "=3", "web=x", "web=-1"})
  void badScaleSpecifiersAreUsageErrors(String arg) {
    Result r = cli.run("service", "scale", arg);
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.errLines().get(0))
        .startsWith("shoal: Invalid value for option 'SERVICE=REPLICAS': ");
    assertThat(r.errLines().get(0)).contains(arg.substring(arg.indexOf('=') + 1));
    assertThat(cli.control().updates()).isEmpty();
  }
}
