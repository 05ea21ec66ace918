/**
 * Pure parsing of the CLI's flag values, free of picocli and gRPC so each piece has a table test.
 *
 * <pre>{@code
 * PortConfig p = PortSpec.parse("8080:80/udp");          // published 8080, target 80, udp, ingress
 * Duration d = GoDuration.parse("1m30s");                 // 90 s (io.shoal.common.time)
 * List<String> env = EnvList.edit(current, List.of("A=2"), List.of("B"));
 * List<String> args = ShellWords.split("sh -c 'echo hi'"); // [sh, -c, echo hi]
 * }</pre>
 */
package io.shoal.cli.parse;
