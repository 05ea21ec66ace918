package io.shoal.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.common.store.Tables;
import io.shoal.common.store.Writer;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Control is wired with its own store handle (StoreModule scopes it to the config's writer). */
class StoreHandleTest {
  @Test
  void controlWritesAsControl() {
    ControlMain main = new ControlMain();
    new CommandLine(main).parseArgs();

    Writer writer = main.config().store().writer();

    assertThat(writer).isEqualTo(Writer.CONTROL);
    assertThat(writer.mayWrite(Tables.NODES.name() + "/n1")).isTrue();
    assertThat(writer.mayWrite(Tables.SERVICE_STATUS.name() + "/s1")).isFalse();
    assertThat(writer.mayWrite(Tables.NODE_REGISTRATIONS.name() + "/n1")).isFalse();
  }
}
