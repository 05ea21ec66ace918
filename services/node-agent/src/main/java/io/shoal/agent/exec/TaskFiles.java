package io.shoal.agent.exec;

import io.shoal.api.v1.Task;
import java.util.List;

/**
 * The files a task's container gets from its secrets and configs (implemented by
 * {@code io.shoal.agent.files}): written before the container is created, into memory only, and
 * removed with the container.
 */
public interface TaskFiles {
  /** For agents that deliver no files: a task with secrets or configs is rejected, never run without them. */
  TaskFiles NONE = new TaskFiles() {
    @Override
    public List<ContainerConfig.FileMount> prepare(Task task) {
      if (task.getSpec().getSecretsCount() > 0 || task.getSpec().getConfigsCount() > 0) {
        throw new EngineException("task: this agent delivers no secrets or configs to containers");
      }
      return List.of();
    }

    @Override
    public void release(String taskId) {}

    @Override
    public List<String> present() {
      return List.of();
    }
  };

  /**
   * Writes the files of {@code task}'s secrets and configs where its container can mount them
   * (again from scratch if an earlier attempt left some) and says how. Empty for a task with
   * none. Throws with the reason when one cannot be written (its data did not come, or the host
   * refused): the task is rejected, never run without its files.
   */
  List<ContainerConfig.FileMount> prepare(Task task);

  /** The task's container is gone: its files go too. Does nothing for a task without files. */
  void release(String taskId);

  /** The tasks whose files are on this host now (an agent that restarts finds its earlier ones). */
  List<String> present();
}
