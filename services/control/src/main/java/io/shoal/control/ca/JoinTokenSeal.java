package io.shoal.control.ca;

import static java.nio.charset.StandardCharsets.US_ASCII;

import com.google.protobuf.ByteString;
import io.shoal.api.v1.SealedJoinTokens;
import io.shoal.common.errors.InvalidArgumentException;
import io.shoal.common.errors.ShoalException;
import io.shoal.common.pki.ClusterKey;
import io.shoal.common.pki.JoinToken;
import io.shoal.common.pki.JoinTokens;
import io.shoal.common.pki.RootCertificate;

/**
 * The two join tokens as etcd holds them: one line each (worker, then manager) sealed under the
 * cluster key, bound to the root's digest, so tokens copied beside another cluster's CA do not
 * open. The digest itself is kept in the clear: it is in every token anyway.
 */
final class JoinTokenSeal {
  private JoinTokenSeal() {}

  static SealedJoinTokens seal(JoinTokens tokens, RootCertificate root, ClusterKey key) {
    byte[] plain = (tokens.worker().value() + "\n" + tokens.manager().value()).getBytes(US_ASCII);
    return SealedJoinTokens.newBuilder()
        .setCaDigest(root.digest().toString())
        .setSealedTokens(ByteString.copyFrom(key.seal(plain, associatedData(root)).encode()))
        .build();
  }

  /**
   * The tokens {@link #seal} sealed for {@code root}.
   *
   * @throws ShoalException FAILED_PRECONDITION when another cluster key sealed them (naming both
   *     key ids), when they were altered or sealed for another CA, or do not pin {@code root}
   */
  static JoinTokens open(SealedJoinTokens sealed, RootCertificate root, ClusterKey key) {
    String what = "the join tokens of " + root.digest();
    if (!sealed.getCaDigest().equals(root.digest().toString())) {
      throw ShoalException.failedPrecondition(what + " are stored for another CA, " + sealed.getCaDigest());
    }
    byte[] plain = key.open(ClusterKey.Sealed.decode(sealed.getSealedTokens().toByteArray(), what),
        associatedData(root), what);
    String[] lines = new String(plain, US_ASCII).split("\n", -1);
    if (lines.length != 2) {
      throw ShoalException.failedPrecondition(what + " hold " + lines.length + " lines, not 2 (worker, manager)");
    }
    try {
      JoinTokens tokens = new JoinTokens(JoinToken.parse(lines[0]), JoinToken.parse(lines[1]));
      tokens.worker().verifyCa(root);
      tokens.manager().verifyCa(root);
      return tokens;
    } catch (InvalidArgumentException e) {
      throw ShoalException.failedPrecondition(what + " are not valid: " + e.getMessage());
    }
  }

  private static byte[] associatedData(RootCertificate root) {
    return ("shoal-join-tokens:" + root.digest()).getBytes(US_ASCII);
  }
}
