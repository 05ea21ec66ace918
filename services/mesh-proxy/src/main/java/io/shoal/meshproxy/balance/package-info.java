/**
 * Which backend gets the next connection or flow, and what happens to the connections of a
 * backend that leaves the table. {@link io.shoal.meshproxy.balance.BackendConnections} knows
 * every open backend channel by task (for least-conn and for draining); {@link
 * io.shoal.meshproxy.balance.BackendChooser} picks the backend a new connection tries first;
 * {@link io.shoal.meshproxy.balance.RotationStarts} gives each port's round robin a random start.
 *
 * <pre>{@code
 * int first = chooser.first(route, port);            // the others follow in table order
 * connections.add(backend.taskId(), backendChannel); // counted until it closes
 * connections.retain(servingTaskIds);                // others drain, then are closed
 * }</pre>
 */
package io.shoal.meshproxy.balance;
