package io.shoal.agent.exec;

/** The engine refused or failed an operation; the message is the engine's, fit for a task's err. */
public class EngineException extends RuntimeException {
  public EngineException(String message, Throwable cause) {
    super(message, cause);
  }

  public EngineException(String message) {
    super(message);
  }
}
