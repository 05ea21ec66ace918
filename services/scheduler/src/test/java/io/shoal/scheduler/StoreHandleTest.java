package io.shoal.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.common.store.Tables;
import io.shoal.common.store.Writer;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The scheduler is wired with its own store handle (StoreModule scopes it to the config's writer). */
class StoreHandleTest {
  @Test
  void theSchedulerWritesAsTheScheduler() {
    SchedulerMain main = new SchedulerMain();
    new CommandLine(main).parseArgs();

    Writer writer = main.config().store().writer();

    assertThat(writer).isEqualTo(Writer.SCHEDULER);
    assertThat(writer.mayWrite(Tables.SERVICE_STATUS.name() + "/s1")).isTrue();
    assertThat(writer.mayWrite(Tables.SERVICES.name() + "/s1")).isFalse();
    assertThat(writer.mayWrite(Tables.NODES.name() + "/n1")).isFalse();
  }
}
