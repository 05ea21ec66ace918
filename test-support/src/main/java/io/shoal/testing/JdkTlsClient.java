package io.shoal.testing;

import io.shoal.common.pki.NodeCredentials;
import io.shoal.common.pki.ReloadableKeyManager;
import io.shoal.common.pki.RootCertificate;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A plain JDK TLS client context for tests that talk to a cluster's non-gRPC TLS servers (etcd,
 * /metrics) over a raw socket: trusts {@code root}, presents {@code credentials} if given. No
 * host name is checked (a raw {@code SSLSocket} checks none), as Shoal's own clients check none.
 */
public final class JdkTlsClient {
  private JdkTlsClient() {}

  public static SSLContext context(RootCertificate root, Optional<NodeCredentials> credentials) {
    try {
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      trusted.setCertificateEntry("root", root.certificate());
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      SSLContext context = SSLContext.getInstance("TLSv1.3");
      context.init(credentials.map(c -> new KeyManager[] {new ReloadableKeyManager(c)}).orElse(null),
          trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot build a test TLS client", e);
    }
  }
}
