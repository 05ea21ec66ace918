package io.shoal.cli.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

/** What every CLI fuzz property checks of a parse. */
public final class CliParsersFuzzTestSupport {
  private CliParsersFuzzTestSupport() {}

  /** Runs {@code parse}; a refusal must be of {@code refusal}'s kind and say something. */
  public static void refusedWithAMessage(Runnable parse, Class<? extends RuntimeException> refusal) {
    try {
      parse.run();
    } catch (RuntimeException e) {
      assertThat(e).as("refused with %s", e).isInstanceOf(refusal);
      assertThat(e.getMessage()).isNotBlank();
    }
  }
}
