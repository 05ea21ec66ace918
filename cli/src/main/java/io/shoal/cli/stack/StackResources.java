package io.shoal.cli.stack;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.shoal.api.v1.ConfigSpec;
import io.shoal.api.v1.NetworkSpec;
import io.shoal.api.v1.SecretSpec;
import io.shoal.cli.CliException;
import io.shoal.cli.client.ControlClient;
import io.shoal.cli.compose.ComposeFile;
import io.shoal.cli.compose.StackLabels;
import io.shoal.cli.compose.Values;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The networks, secrets and configs a stack's services use: the file's own are created as
 * {@code STACK_NAME} with the stack's label (once: an existing one is kept, as Docker keeps it),
 * external ones must exist. The default network {@code STACK_default} is made when a service
 * names no network.
 */
final class StackResources {
  private final ControlClient control;
  private final PrintWriter out;
  private final String stack;
  private final ComposeFile file;

  StackResources(ControlClient control, PrintWriter out, String stack, ComposeFile file) {
    this.control = control;
    this.out = out;
    this.stack = stack;
    this.file = file;
  }

  void networks(boolean needsDefault) {
    Map<String, Object> declared = file.section("networks");
    if (needsDefault && !declared.containsKey("default")) {
      ensureNetwork("default", Map.of());
    }
    declared.forEach((name, def) -> {
      Map<String, Object> d = Values.map(def, "networks." + name);
      Values.only(d, "networks." + name, "driver", "external", "internal", "labels", "ipam", "name");
      if (Values.external(d, "networks." + name)) {
        String real = String.valueOf(d.getOrDefault("name", name));
        mustExist(() -> control.getNetwork(real), "network " + real + " declared as external, but could not be found");
      } else {
        ensureNetwork(name, d);
      }
    });
  }

  private void ensureNetwork(String name, Map<String, Object> d) {
    String real = stack + "_" + name;
    if (exists(() -> control.getNetwork(real))) {
      return;
    }
    String driver = String.valueOf(d.getOrDefault("driver", "overlay"));
    if (!driver.equals("overlay")) {
      throw new CliException("networks." + name + ".driver: " + driver + " is not supported (a stack's networks are overlay)");
    }
    NetworkSpec.Builder spec = NetworkSpec.newBuilder().setName(real).setDriver(driver)
        .putLabels(StackLabels.NAMESPACE, stack)
        .setInternal(Boolean.TRUE.equals(d.get("internal")));
    Values.map(d.get("labels"), "networks." + name + ".labels").forEach((k, v) -> spec.putLabels(k, String.valueOf(v)));
    Map<String, Object> ipam = Values.map(d.get("ipam"), "networks." + name + ".ipam");
    Values.only(ipam, "networks." + name + ".ipam", "config", "driver");
    if (ipam.get("config") instanceof java.util.List<?> configs && !configs.isEmpty()) {
      Map<String, Object> first = Values.map(configs.get(0), "networks." + name + ".ipam.config[0]");
      if (first.get("subnet") != null) {
        spec.getIpamBuilder().setSubnet(String.valueOf(first.get("subnet")));
      }
    }
    out.println("Creating network " + real);
    control.createNetwork(spec.build());
  }

  /** Secrets ({@code kind} "secrets") or configs from their files, read against the file's directory. */
  void files(String kind) {
    file.section(kind).forEach((name, def) -> {
      String at = kind + "." + name;
      Map<String, Object> d = Values.map(def, at);
      Values.only(d, at, "file", "external", "name", "labels");
      if (Values.external(d, at)) {
        String real = String.valueOf(d.getOrDefault("name", name));
        mustExist(() -> lookUp(kind, real),
            kind.substring(0, kind.length() - 1) + " " + real + " declared as external, but could not be found");
        return;
      }
      String real = stack + "_" + name;
      if (exists(() -> lookUp(kind, real))) {
        return;
      }
      if (d.get("file") == null) {
        throw new CliException(at + ": file is required (or external: true)");
      }
      Path path = file.dir().resolve(String.valueOf(d.get("file")));
      ByteString data;
      try {
        data = ByteString.copyFrom(Files.readAllBytes(path));
      } catch (IOException e) {
        throw new CliException(at + ".file: cannot read " + path + ": " + e.getMessage(), e);
      }
      Map<String, Object> labels = Values.map(d.get("labels"), at + ".labels");
      out.println("Creating " + kind.substring(0, kind.length() - 1) + " " + real);
      if (kind.equals("secrets")) {
        SecretSpec.Builder s = SecretSpec.newBuilder().setName(real).setData(data).putLabels(StackLabels.NAMESPACE, stack);
        labels.forEach((k, v) -> s.putLabels(k, String.valueOf(v)));
        control.createSecret(s.build());
      } else {
        ConfigSpec.Builder c = ConfigSpec.newBuilder().setName(real).setData(data).putLabels(StackLabels.NAMESPACE, stack);
        labels.forEach((k, v) -> c.putLabels(k, String.valueOf(v)));
        control.createConfig(c.build());
      }
    });
  }

  private void lookUp(String kind, String name) {
    if (kind.equals("secrets")) {
      control.getSecret(name);
    } else {
      control.getConfig(name);
    }
  }

  private static boolean exists(Runnable lookUp) {
    try {
      lookUp.run();
      return true;
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return false;
      }
      throw e;
    }
  }

  private static void mustExist(Runnable lookUp, String message) {
    if (!exists(lookUp)) {
      throw new CliException(message);
    }
  }
}
