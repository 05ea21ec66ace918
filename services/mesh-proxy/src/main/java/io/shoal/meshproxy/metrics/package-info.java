/** Per-port counters of the data path, exported through common's Telemetry meter. */
package io.shoal.meshproxy.metrics;
