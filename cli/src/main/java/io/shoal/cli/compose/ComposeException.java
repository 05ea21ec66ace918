package io.shoal.cli.compose;

import io.shoal.cli.CliException;

/** A compose file Shoal cannot deploy: the message names the key path and the fix. */
public final class ComposeException extends CliException {
  public ComposeException(String message) {
    super(message);
  }
}
