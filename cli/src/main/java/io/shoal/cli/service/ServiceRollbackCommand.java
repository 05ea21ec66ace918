package io.shoal.cli.service;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.UpdateServiceResponse;
import io.shoal.cli.CliCommand;
import io.shoal.cli.CliException;
import io.shoal.cli.client.ServiceUpdater;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code shoal service rollback SERVICE}: back to the spec before the last update, rolled out with
 * the service's --rollback-* config; waits for convergence like update. A lost race (ABORTED) is
 * redone from a fresh read.
 */
@Command(
    name = "rollback",
    description = "Revert changes to a service's configuration",
    customSynopsis = "shoal service rollback [OPTIONS] SERVICE",
    mixinStandardHelpOptions = true)
public final class ServiceRollbackCommand extends CliCommand {
  @Mixin WaitOptions wait;

  @Parameters(index = "0", paramLabel = "SERVICE", description = "Service name, id or id prefix")
  String service;

  @Override
  public Integer call() throws InterruptedException {
    UpdateServiceResponse response = null;
    for (int attempt = 1; response == null; attempt++) {
      Service current = control().getService(service);
      try {
        response = control().rollbackService(current.getId(), current.getVersion());
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.ABORTED) {
          throw e;
        }
        if (attempt == ServiceUpdater.MAX_ATTEMPTS) {
          throw new CliException("service " + current.getSpec().getName()
              + " kept changing while rolling it back (" + ServiceUpdater.MAX_ATTEMPTS
              + " attempts); try again (ABORTED)", e);
        }
      }
    }
    Service updated = response.getService();
    out().println(updated.getSpec().getName());
    out().flush();
    if (!wait.detach) {
      awaitConvergence(updated.getId(), updated.getSpec().getName(), wait.timeout, wait.quiet);
    }
    return 0;
  }
}
