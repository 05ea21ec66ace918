package io.shoal.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.common.pki.Role;
import io.shoal.common.server.tls.CannotStartException;
import io.shoal.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With a certificate, the agent is the node its certificate names (a worker's). */
class AgentIdentityTest {
  @TempDir Path dir;

  @Test
  void theNodeIdIsTheCertificatesCommonNameAndIsKeptInTheStateDir() throws Exception {
    Path certs = TestPki.create(dir.resolve("pki")).issue("k3h9x0q2m1z8c4v7b6n5a1s2d", Role.WORKER);
    Path state = dir.resolve("state");
    AgentFlags flags = AgentFlags.parse("--addr", "127.0.0.2", "--cert-dir", certs.toString(),
        "--state-dir", state.toString());

    LocalNode node = AgentModule.localNode(flags, flags.tls(), io.shoal.common.telemetry.Telemetry.noop());

    assertThat(node.id()).isEqualTo("k3h9x0q2m1z8c4v7b6n5a1s2d");
    assertThat(Files.readString(state.resolve(NodeIds.FILE)).strip()).isEqualTo("k3h9x0q2m1z8c4v7b6n5a1s2d");
  }

  @Test
  void aStateDirOfAnotherNodeIsRefusedNamingBoth() throws Exception {
    Path state = dir.resolve("state");
    Files.createDirectories(state);
    Files.writeString(state.resolve(NodeIds.FILE), "oldnode\n");

    assertThatThrownBy(() -> NodeIds.adopt(state, "newnode"))
        .isInstanceOf(CannotStartException.class)
        .hasMessage(state.resolve(NodeIds.FILE) + " says this node is oldnode but its certificate says newnode:"
            + " issue the certificate for oldnode, or use a new --state-dir");
  }

  @Test
  void aManagersCertificateIsRefused() {
    Path certs = TestPki.create(dir.resolve("pki")).issue("control", Role.MANAGER);
    AgentFlags flags = AgentFlags.parse("--addr", "127.0.0.2", "--cert-dir", certs.toString());

    assertThatThrownBy(flags::tls)
        .isInstanceOf(CannotStartException.class)
        .hasMessageContaining("a node agent's certificate must be a worker's");
  }
}
