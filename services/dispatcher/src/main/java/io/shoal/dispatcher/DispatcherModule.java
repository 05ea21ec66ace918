package io.shoal.dispatcher;

import dagger.Module;
import dagger.Provides;
import java.time.Clock;

/** The dispatcher's parts that are not plain {@code @Inject} classes, and its per-session graph. */
@Module(subcomponents = SessionComponent.class)
public final class DispatcherModule {
  private DispatcherModule() {}

  @Provides
  static Clock clock() {
    return Clock.systemUTC();
  }
}
