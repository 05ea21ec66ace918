/**
 * Which backend gets the next connection or flow, and what happens to the connections of a
 * backend that leaves the table. {@link io.shoal.meshproxy.balance.BackendConnections} knows
 * every open backend channel by task (for least-conn and for draining); {@link
 * io.shoal.meshproxy.balance.BackendChooser} orders a route's backends for one new connection.
 *
 * <pre>{@code
 * int[] order = chooser.order(route, port);          // first choice, then the fallbacks
 * connections.add(backend.taskId(), backendChannel); // counted until it closes
 * connections.retain(servingTaskIds);                // others drain, then are closed
 * }</pre>
 */
package io.shoal.meshproxy.balance;
