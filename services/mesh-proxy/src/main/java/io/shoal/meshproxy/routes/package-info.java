/**
 * Routes: which backends serve which published port. {@link
 * io.shoal.meshproxy.routes.RouteTableBuilder} is a pure function from services and tasks to an
 * immutable {@link io.shoal.meshproxy.routes.RouteTable}; {@link
 * io.shoal.meshproxy.routes.LiveRoutes} holds the table in force.
 *
 * <pre>{@code
 * RouteTable table = RouteTableBuilder.build(services, tasks);
 * Route web = table.route(PortKey.tcp(8080));   // null when nothing publishes 8080/tcp
 * web.backends();                               // RUNNING tasks' endpoints, slot order
 * }</pre>
 */
package io.shoal.meshproxy.routes;
