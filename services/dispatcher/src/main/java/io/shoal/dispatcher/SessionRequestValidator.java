package io.shoal.dispatcher;

import com.google.common.net.InetAddresses;
import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.shoal.api.v1.NodeDescription;
import io.shoal.api.v1.PortBinding;
import io.shoal.api.v1.Protocol;
import io.shoal.api.v1.PublishMode;
import io.shoal.api.v1.RegisterNode;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.TaskStatus;
import io.shoal.api.v1.TaskStatusUpdate;
import io.shoal.common.errors.InvalidArgumentException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks what a node sends before anything of it is stored or acted on (the limits are written
 * on RegisterNode and TaskStatusUpdate in dispatcher.proto). A node is not trusted: what it
 * reports ends up in etcd, in every reconciler's hands, and, through ports.host_ip, in the
 * mesh's route table.
 */
final class SessionRequestValidator {
  static final int MAX_ID_BYTES = 64;
  /** Node ids are etcd key segments: no '/', nothing a shell or a log would mangle. */
  private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_ID_BYTES + "}");
  static final int MAX_HOSTNAME_BYTES = 253; // a DNS name
  static final int MAX_SHORT_TEXT_BYTES = 256; // os, arch, engine version, label keys
  static final int MAX_LABELS = 256;
  static final int MAX_LABEL_VALUE_BYTES = 4096;
  /** A status line ("preparing", "started"); what goes wrong belongs in err. */
  static final int MAX_MESSAGE_BYTES = 1024;
  /** An error from dockerd with its context; more is noise in `service ps`. */
  static final int MAX_ERR_BYTES = 4096;
  /** Docker's ids are 64 hex digits. */
  static final int MAX_CONTAINER_ID_BYTES = 128;
  /** Bindings of one task: two per published port at most (TCP and UDP). */
  static final int MAX_PORTS = 1024;
  /** Older than any Shoal node; 0 (1970) is what a node without a clock would send. */
  static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
  /** How far ahead of the dispatcher a node's clock may be. */
  static final Duration MAX_CLOCK_AHEAD = Duration.ofDays(1);

  private SessionRequestValidator() {}

  /** Checks a registration; returns the node's address, the only one its ports may name. */
  static InetAddress register(RegisterNode register) {
    if (!NODE_ID.matcher(register.getNodeId()).matches()) {
      throw new InvalidArgumentException("RegisterNode.node_id",
          "must be 1-" + MAX_ID_BYTES + " characters of A-Z, a-z, 0-9, '.', '_', '-'");
    }
    NodeDescription d = register.getDescription();
    InetAddress addr = unicastAddress("RegisterNode.description.addr", d.getAddr());
    maxBytes("RegisterNode.description.hostname", d.getHostnameBytes(), MAX_HOSTNAME_BYTES);
    maxBytes("RegisterNode.description.os", d.getOsBytes(), MAX_SHORT_TEXT_BYTES);
    maxBytes("RegisterNode.description.arch", d.getArchBytes(), MAX_SHORT_TEXT_BYTES);
    maxBytes("RegisterNode.description.engine_version", d.getEngineVersionBytes(), MAX_SHORT_TEXT_BYTES);
    if (d.getNanoCpus() < 0 || d.getMemoryBytes() < 0) {
      throw new InvalidArgumentException("RegisterNode.description", "nano_cpus and memory_bytes must not be negative");
    }
    if (d.getEngineLabelsCount() > MAX_LABELS) {
      throw new InvalidArgumentException("RegisterNode.description.engine_labels", "at most " + MAX_LABELS + " labels");
    }
    for (Map.Entry<String, String> label : d.getEngineLabelsMap().entrySet()) {
      maxBytes("RegisterNode.description.engine_labels", ByteString.copyFromUtf8(label.getKey()), MAX_SHORT_TEXT_BYTES);
      maxBytes("RegisterNode.description.engine_labels[" + label.getKey() + "]",
          ByteString.copyFromUtf8(label.getValue()), MAX_LABEL_VALUE_BYTES);
    }
    ownAddress("RegisterNode.description.metrics_addr", d.getMetricsAddr(), addr);
    ownAddress("RegisterNode.description.agent_address", d.getAgentAddress(), addr);
    return addr;
  }

  /**
   * Checks a status report of the node at {@code nodeAddr} (its registered address); the
   * dispatcher's clock reads {@code now}.
   */
  static void status(TaskStatusUpdate update, InetAddress nodeAddr, Instant now) {
    if (update.getTaskId().isEmpty()) {
      throw new InvalidArgumentException("task_id", "must be provided");
    }
    maxBytes("task_id", update.getTaskIdBytes(), MAX_ID_BYTES);
    TaskStatus s = update.getStatus();
    int state = s.getStateValue();
    if (state < TaskState.TASK_STATE_ACCEPTED_VALUE || state > TaskState.TASK_STATE_REJECTED_VALUE) {
      throw new InvalidArgumentException("status.state",
          "an agent reports ACCEPTED to REJECTED (" + TaskState.TASK_STATE_ACCEPTED_VALUE + "-"
              + TaskState.TASK_STATE_REJECTED_VALUE + "), not " + state);
    }
    if (s.hasTimestamp()) {
      timestamp("status.timestamp", s.getTimestamp(), now);
    }
    if (s.hasStartTime()) {
      timestamp("status.start_time", s.getStartTime(), now);
    }
    maxBytes("status.message", s.getMessageBytes(), MAX_MESSAGE_BYTES);
    maxBytes("status.err", s.getErrBytes(), MAX_ERR_BYTES);
    maxBytes("status.container_id", s.getContainerIdBytes(), MAX_CONTAINER_ID_BYTES);
    if (s.getPortsCount() > MAX_PORTS) {
      throw new InvalidArgumentException("status.ports", "at most " + MAX_PORTS + " bindings, not " + s.getPortsCount());
    }
    for (int i = 0; i < s.getPortsCount(); i++) {
      port("status.ports[" + i + "]", s.getPorts(i), nodeAddr);
    }
  }

  private static void port(String field, PortBinding p, InetAddress nodeAddr) {
    if (p.getProtocol() != Protocol.PROTOCOL_TCP && p.getProtocol() != Protocol.PROTOCOL_UDP) {
      throw new InvalidArgumentException(field + ".protocol", "must be TCP or UDP");
    }
    if (p.getPublishMode() != PublishMode.PUBLISH_MODE_INGRESS && p.getPublishMode() != PublishMode.PUBLISH_MODE_HOST) {
      throw new InvalidArgumentException(field + ".publish_mode", "must be INGRESS or HOST");
    }
    portNumber(field + ".target_port", p.getTargetPort());
    portNumber(field + ".host_port", p.getHostPort());
    // The mesh sends clients to this address: a node may only name itself.
    if (p.getHostIp().length() > 64 || !InetAddresses.isInetAddress(p.getHostIp())
        || !InetAddresses.forString(p.getHostIp()).equals(nodeAddr)) {
      throw new InvalidArgumentException(field + ".host_ip",
          "must be this node's address " + InetAddresses.toAddrString(nodeAddr));
    }
  }

  /**
   * Empty, or this node's address with a port: Prometheus (its metrics) and control (its agent,
   * for logs) call it with a manager's certificate, so a node may only send them to itself.
   */
  private static void ownAddress(String field, String metricsAddr, InetAddress nodeAddr) {
    if (metricsAddr.isEmpty()) {
      return;
    }
    int colon = metricsAddr.lastIndexOf(':');
    String host = colon > 0 ? metricsAddr.substring(0, colon) : "";
    if (metricsAddr.length() > 80 || !InetAddresses.isInetAddress(host)
        || !InetAddresses.forString(host).equals(nodeAddr)) {
      throw new InvalidArgumentException(field, "must be this node's address " + InetAddresses.toAddrString(nodeAddr)
          + " and a port, not '" + abbreviate(metricsAddr) + "'");
    }
    try {
      portNumber(field, Integer.parseInt(metricsAddr.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new InvalidArgumentException(field, "must end in a port, not '" + abbreviate(metricsAddr) + "'");
    }
  }

  private static void portNumber(String field, int port) {
    if (port < 1 || port > 65535) {
      throw new InvalidArgumentException(field, "must be 1-65535, not " + Integer.toUnsignedString(port));
    }
  }

  private static void timestamp(String field, Timestamp t, Instant now) {
    Instant latest = now.plus(MAX_CLOCK_AHEAD);
    if (t.getNanos() < 0 || t.getNanos() > 999_999_999
        || t.getSeconds() < EARLIEST.getEpochSecond() || t.getSeconds() > latest.getEpochSecond()) {
      throw new InvalidArgumentException(field,
          "must be from " + EARLIEST + " to a day ahead of the dispatcher's clock (" + latest + ")");
    }
  }

  private static InetAddress unicastAddress(String field, String addr) {
    if (addr.length() > 64 || !InetAddresses.isInetAddress(addr)) {
      throw new InvalidArgumentException(field, "must be an IP address, not '" + abbreviate(addr) + "'");
    }
    InetAddress a = InetAddresses.forString(addr);
    if (a.isAnyLocalAddress() || a.isMulticastAddress()) {
      throw new InvalidArgumentException(field, "must be a unicast address clients can reach, not " + addr);
    }
    return a;
  }

  private static void maxBytes(String field, ByteString value, int max) {
    if (value.size() > max) {
      throw new InvalidArgumentException(field, "at most " + max + " bytes, not " + value.size());
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "…";
  }
}
