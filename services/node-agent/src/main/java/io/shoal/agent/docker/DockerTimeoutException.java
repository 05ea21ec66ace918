package io.shoal.agent.docker;

import java.io.InterruptedIOException;

/**
 * dockerd did not answer within the agent's deadline. An {@link java.io.IOException} so that it
 * passes through docker-java's stream reading; {@link DockerEngine} finds it among the causes and
 * puts its message on the task.
 */
final class DockerTimeoutException extends InterruptedIOException {
  DockerTimeoutException(String message) {
    super(message);
  }
}
