-- wrk's --latency stops at p99; the gap between proxies is in the tail, so print it too.
done = function(summary, latency, requests)
  io.write(string.format("TAIL p99.9=%.3fms max=%.3fms\n",
    latency:percentile(99.9) / 1000, latency.max / 1000))
end
