package io.shoal.control;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.shoal.api.v1.CreateServiceRequest;
import io.shoal.api.v1.DeleteServiceRequest;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.UpdateServiceRequest;
import io.shoal.common.store.Tables;
import io.shoal.control.fuzz.ServiceSpecSeeds;
import io.shoal.fuzzing.Fuzz;
import io.shoal.fuzzing.ProtoMutator;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The API, fuzzed (#16, item 3): 1,000 mutated ServiceSpecs through gRPC against control on a
 * real etcd. Each create, and an update of each created service with another mutation, ends in
 * OK or INVALID_ARGUMENT (NOT_FOUND where a mutation named a network, secret or config that does
 * not exist); every created service is removed again; afterwards etcd holds exactly the keys it
 * held before, so no call left a half-written service, index entry or reference behind.
 */
class ServiceSpecFuzzIT {
  private static final int SPECS = 1000;

  @RegisterExtension final InProcessControl control = new InProcessControl();

  @Test
  void mutatedSpecsEndInOkOrInvalidArgumentAndLeaveNoKeyBehind() throws Exception {
    Set<String> before = keys();
    long seed = Fuzz.seed();
    ProtoMutator mutator = new ProtoMutator(seed);
    Map<Status.Code, Integer> answers = new EnumMap<>(Status.Code.class);
    var seeds = ServiceSpecSeeds.all();
    for (int i = 0; i < Fuzz.tries(SPECS); i++) {
      ServiceSpec spec = unique(mutator.mutate(seeds.get(i % seeds.size()), 4), i);
      String at = "spec #" + i + " of seed " + seed + " (-Dshoal.fuzz.seed=" + seed + "): ";
      Service created;
      try {
        created = control.stub.createService(CreateServiceRequest.newBuilder().setSpec(spec).setNoResolveImage(true)
            .build()).getService();
      } catch (StatusRuntimeException e) {
        answers.merge(refused(at, e), 1, Integer::sum);
        continue;
      }
      answers.merge(Status.Code.OK, 1, Integer::sum);
      assertThat(control.store.owner(Tables.SERVICE_NAMES, created.getSpec().getName())).as(at).contains(created.getId());
      ServiceSpec change = mutator.mutate(created.getSpec(), 3).toBuilder().setName(created.getSpec().getName()).build();
      try {
        control.stub.updateService(UpdateServiceRequest.newBuilder().setServiceId(created.getId())
            .setVersion(created.getVersion()).setSpec(change).setNoResolveImage(true).build());
      } catch (StatusRuntimeException e) {
        refused(at + "update: ", e);
      }
      control.stub.deleteService(DeleteServiceRequest.newBuilder().setService(created.getId()).build());
    }
    System.out.println("ServiceSpecFuzzIT (seed " + seed + "): " + answers);
    assertThat(answers.getOrDefault(Status.Code.OK, 0)).as("some specs are accepted").isPositive();
    assertThat(answers.getOrDefault(Status.Code.INVALID_ARGUMENT, 0)).as("some are refused").isPositive();
    assertThat(keys()).as("etcd's keys after every service was removed").isEqualTo(before);
  }

  /** A name no other spec of the run has, unless the mutation made it invalid (then left so). */
  private static ServiceSpec unique(ServiceSpec spec, int i) {
    String name = spec.getName();
    return name.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,50}") ? spec.toBuilder().setName(name + "-" + i).build() : spec;
  }

  private static Status.Code refused(String at, StatusRuntimeException e) {
    Status.Code code = e.getStatus().getCode();
    String description = String.valueOf(e.getStatus().getDescription());
    boolean missingReference = code == Status.Code.NOT_FOUND
        && description.matches("(?s)(network|secret|config) .* not found.*");
    assertThat(code == Status.Code.INVALID_ARGUMENT || missingReference)
        .as(at + "answered " + e.getStatus()).isTrue();
    assertThat(description).as(at + "a reason").isNotBlank();
    return code;
  }

  private Set<String> keys() throws ExecutionException, InterruptedException, TimeoutException {
    ByteSequence root = ByteSequence.from(control.store.root(), UTF_8);
    Set<String> keys = new TreeSet<>();
    for (KeyValue kv : control.store.client().getKVClient()
        .get(root, GetOption.builder().isPrefix(true).withKeysOnly(true).build()).get(30, TimeUnit.SECONDS).getKvs()) {
      keys.add(kv.getKey().toString(UTF_8));
    }
    return keys;
  }
}
