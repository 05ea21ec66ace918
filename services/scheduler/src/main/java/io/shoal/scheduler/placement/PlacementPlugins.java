package io.shoal.scheduler.placement;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The placer's plugins by name, in the order they run, as kube-scheduler registers its plugins;
 * the scheduler's {@code --disable-filter} and {@code --disable-preference} turn some off by name.
 * Filters run cheap and common checks first (SwarmKit's order; failures are counted per filter);
 * preferences run from the strongest.
 */
public final class PlacementPlugins {
  private static final Map<String, Supplier<Filter>> FILTERS = new LinkedHashMap<>();
  private static final Map<String, Supplier<Preference>> PREFERENCES = new LinkedHashMap<>();

  static {
    FILTERS.put("ready", ReadyFilter::new);
    FILTERS.put("resources", ResourceFilter::new);
    FILTERS.put("constraints", ConstraintFilter::new);
    FILTERS.put("host-ports", HostPortFilter::new);
    FILTERS.put("max-replicas", MaxReplicasFilter::new);
    PREFERENCES.put("recent-rejections", RecentRejectionsPreference::new);
    PREFERENCES.put("label-spread", LabelSpreadPreference::new);
    PREFERENCES.put("service-spread", ServiceSpreadPreference::new);
    PREFERENCES.put("least-loaded", LeastLoadedPreference::new);
  }

  private PlacementPlugins() {}

  /** Every filter's name, in the order they run. */
  public static Set<String> filterNames() {
    return FILTERS.keySet();
  }

  /** Every preference's name, strongest first. */
  public static Set<String> preferenceNames() {
    return PREFERENCES.keySet();
  }

  /**
   * The filters but those named in {@code disabled}, each new, in their order.
   *
   * @throws IllegalArgumentException when a name in {@code disabled} is no filter's
   */
  public static List<Filter> filters(Collection<String> disabled) {
    return select("filter", FILTERS, disabled);
  }

  /**
   * The preferences but those named in {@code disabled}, each new, strongest first.
   *
   * @throws IllegalArgumentException when a name in {@code disabled} is no preference's
   */
  public static List<Preference> preferences(Collection<String> disabled) {
    return select("preference", PREFERENCES, disabled);
  }

  private static <T> List<T> select(String kind, Map<String, Supplier<T>> all, Collection<String> disabled) {
    for (String name : disabled) {
      if (!all.containsKey(name)) {
        throw new IllegalArgumentException("unknown " + kind + " '" + name + "'; the " + kind + "s are: "
            + String.join(", ", all.keySet()));
      }
    }
    List<T> enabled = new ArrayList<>();
    all.forEach((name, plugin) -> {
      if (!disabled.contains(name)) {
        enabled.add(plugin.get());
      }
    });
    return List.copyOf(enabled);
  }
}
