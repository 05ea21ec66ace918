package io.shoal.cli.format;

import java.time.Duration;

/**
 * Docker's relative times ({@code go-units HumanDuration}), so {@code shoal service ps} reads like
 * {@code docker service ps}: "Less than a second", "1 second", "2 seconds", "About a minute", "5
 * minutes", "About an hour", "3 hours", "2 days", "3 weeks", "4 months", "2 years".
 */
public final class HumanDuration {
  private HumanDuration() {}

  /** go-units' {@code HumanDuration}, threshold for threshold. Negative durations read as zero. */
  public static String of(Duration d) {
    if (d.isNegative()) {
      d = Duration.ZERO;
    }
    long seconds = d.getSeconds();
    if (seconds < 1) {
      return "Less than a second";
    } else if (seconds == 1) {
      return "1 second";
    } else if (seconds < 60) {
      return seconds + " seconds";
    }
    long minutes = d.toMinutes();
    if (minutes == 1) {
      return "About a minute";
    } else if (minutes < 60) {
      return minutes + " minutes";
    }
    // Go: int(d.Hours() + 0.5), i.e. hours rounded half up.
    long hours = (long) (d.toNanos() / 3.6e12 + 0.5);
    if (hours == 1) {
      return "About an hour";
    } else if (hours < 48) {
      return hours + " hours";
    } else if (hours < 24 * 7 * 2) {
      return hours / 24 + " days";
    } else if (hours < 24 * 30 * 2) {
      return hours / 24 / 7 + " weeks";
    } else if (hours < 24 * 365 * 2) {
      return hours / 24 / 30 + " months";
    }
    return d.toHours() / 24 / 365 + " years";
  }

  /** {@code of(d) + " ago"}: "2 seconds ago", "About a minute ago". */
  public static String ago(Duration d) {
    return of(d) + " ago";
  }
}
