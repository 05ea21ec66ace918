package io.shoal.scheduler.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlacementPluginsTest {
  @Test
  void everyPluginRunsByDefaultInItsOrder() {
    assertThat(PlacementPlugins.filters(Set.of())).extracting(Object::getClass).containsExactly(
        ReadyFilter.class, ResourceFilter.class, ConstraintFilter.class, HostPortFilter.class,
        MaxReplicasFilter.class);
    assertThat(PlacementPlugins.preferences(Set.of())).extracting(Object::getClass).containsExactly(
        RecentRejectionsPreference.class, LabelSpreadPreference.class, ServiceSpreadPreference.class,
        LeastLoadedPreference.class);
    assertThat(PlacementPlugins.filterNames())
        .containsExactly("ready", "resources", "constraints", "host-ports", "max-replicas");
    assertThat(PlacementPlugins.preferenceNames())
        .containsExactly("recent-rejections", "label-spread", "service-spread", "least-loaded");
  }

  @Test
  void aDisabledPluginIsLeftOutAndTheOthersKeepTheirOrder() {
    assertThat(PlacementPlugins.filters(List.of("resources", "max-replicas"))).extracting(Object::getClass)
        .containsExactly(ReadyFilter.class, ConstraintFilter.class, HostPortFilter.class);
    assertThat(PlacementPlugins.preferences(List.of("label-spread"))).extracting(Object::getClass)
        .containsExactly(RecentRejectionsPreference.class, ServiceSpreadPreference.class,
            LeastLoadedPreference.class);
  }

  @Test
  void eachSelectionIsMadeOfNewPlugins() {
    // A preference keeps the state of a pass: two placers must not share one.
    assertThat(PlacementPlugins.preferences(Set.of()).get(0))
        .isNotSameAs(PlacementPlugins.preferences(Set.of()).get(0));
  }

  @Test
  void anUnknownNameSaysWhichNamesThereAre() {
    assertThatThrownBy(() -> PlacementPlugins.filters(List.of("ready", "raedy")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown filter 'raedy'; the filters are: ready, resources, constraints, host-ports, "
            + "max-replicas");
    assertThatThrownBy(() -> PlacementPlugins.preferences(List.of("spread")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown preference 'spread'; the preferences are: recent-rejections, label-spread, "
            + "service-spread, least-loaded");
  }
}
