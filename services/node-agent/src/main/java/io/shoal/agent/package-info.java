/**
 * The Shoal node agent: runs the tasks a dispatcher assigns to this node on the local dockerd.
 *
 * <ul>
 *   <li>{@code session}: the Session stream to the dispatcher (register, heartbeats, assignments,
 *       status reports; reconnects with backoff).
 *   <li>{@code worker}: one runner per assigned task, orphan containers removed.
 *   <li>{@code exec}: the task state machine ({@code TaskSteps}) against a {@code TaskController}
 *       and a {@code ContainerEngine} interface; plain Java, no engine API.
 *   <li>{@code docker}: the only package that imports docker-java.
 *   <li>{@code files}: secrets and configs as files, in a tmpfs of each task's own, from the data
 *       the session received (kept in memory only).
 * </ul>
 *
 * <pre>{@code
 * NodeAgent agent = DaggerAgentComponent.builder()
 *     .configModule(new ConfigModule(AgentFlags.parse("--addr", "127.0.0.2", "--state-dir", dir)))
 *     .build().agent().start();
 * }</pre>
 */
package io.shoal.agent;
