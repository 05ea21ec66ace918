package io.shoal.e2e;

import java.nio.file.Path;
import java.util.List;

/** How the e2e tests start a part of Shoal: the command that runs its main class, before its flags. */
@FunctionalInterface
interface PartLauncher {
  /** The command that runs {@code mainClass} ({@code io.shoal.control.ControlMain}, ...); flags are appended. */
  List<String> command(String mainClass);

  /** Every part in a JVM of its own on the test's classpath: the modules as built. */
  static PartLauncher classpath() {
    String classpath = System.getProperty("java.class.path");
    return mainClass -> List.of(javaBin(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx192m",
        // One classpath for every part here: the CLI's logging settings (first on it) would hide the time.
        "-Dorg.slf4j.simpleLogger.showDateTime=true", "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
        "-cp", classpath, mainClass);
  }

  /** This JVM's java. */
  static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
