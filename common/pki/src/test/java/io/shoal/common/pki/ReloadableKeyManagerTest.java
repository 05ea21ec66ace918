package io.shoal.common.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReloadableKeyManagerTest {
  private final ClusterCa ca = ClusterCa.create(Fixtures.NOW);
  private final NodeCredentials first = Fixtures.credentials(ca, "node-1", Role.WORKER);
  private final ReloadableKeyManager keys = new ReloadableKeyManager(first);

  @Test
  void aHandshakeThatChoseBeforeAnUpdateGetsTheKeyAndChainItChose() {
    String chosen = keys.chooseEngineServerAlias("EC", null, null);

    NodeCredentials second = Fixtures.credentials(ca, "node-1", Role.WORKER);
    keys.update(second);

    assertThat(keys.getCertificateChain(chosen)).containsExactlyElementsOf(first.chain());
    assertThat(keys.getPrivateKey(chosen)).isEqualTo(first.privateKey());
    String next = keys.chooseEngineClientAlias(new String[] {"EC"}, null, null);
    assertThat(next).isNotEqualTo(chosen);
    assertThat(keys.getCertificateChain(next)).containsExactlyElementsOf(second.chain());
    assertThat(keys.credentials()).isEqualTo(second);
  }

  @Test
  void onlyTheLastTwoGenerationsAreKept() {
    String chosen = keys.chooseEngineServerAlias("EC", null, null);
    keys.update(Fixtures.credentials(ca, "node-1", Role.WORKER));
    keys.update(Fixtures.credentials(ca, "node-1", Role.WORKER));

    X509Certificate[] gone = keys.getCertificateChain(chosen);

    assertThat(gone).isNull();
    assertThat(keys.getPrivateKey(chosen)).isNull();
  }

  @Test
  void itAnswersOnlyForItsKeysType() {
    assertThat(keys.chooseEngineServerAlias("RSA", null, null)).isNull();
    assertThat(keys.chooseEngineClientAlias(new String[] {"RSA", "EC"}, null, null)).isNotNull();
    assertThat(keys.chooseEngineServerAlias("EC_EC", null, null)).isNotNull();
  }

  @Test
  void oneDirectoryHasOneKeyManagerPresentingWhatWasReadLast(@TempDir Path dir) {
    ReloadableKeyManager grpc = ReloadableKeyManager.forDirectory(dir.resolve("certs"), first);
    // The etcd client of the same service, reading the same directory by another spelling.
    ReloadableKeyManager etcd = ReloadableKeyManager.forDirectory(dir.resolve("x/../certs"), first);
    assertThat(etcd).isSameAs(grpc);
    assertThat(ReloadableKeyManager.forDirectory(dir.resolve("other"), first)).isNotSameAs(grpc);

    NodeCredentials renewed = Fixtures.credentials(ca, "node-1", Role.WORKER);
    grpc.update(renewed);
    assertThat(etcd.credentials()).isEqualTo(renewed);

    // A directory read again (a restarted part of the process) presents what it holds now.
    NodeCredentials replaced = Fixtures.credentials(ca, "node-1", Role.WORKER);
    assertThat(ReloadableKeyManager.forDirectory(dir.resolve("certs"), replaced).credentials()).isEqualTo(replaced);
    assertThat(grpc.credentials()).isEqualTo(replaced);
  }
}
