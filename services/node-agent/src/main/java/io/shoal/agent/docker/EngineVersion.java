package io.shoal.agent.docker;

import com.github.dockerjava.transport.DockerHttpClient;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * What an engine says of itself on {@code GET /version} (asked without a version prefix, which
 * every engine answers): its release and the API versions it accepts.
 *
 * @param minApiVersion empty when the engine does not say (engines before API 1.25)
 */
record EngineVersion(String version, String apiVersion, String minApiVersion) {
  /** @throws IllegalStateException naming the engine when it cannot be reached or answers oddly */
  static EngineVersion ask(DockerHttpClient http, String where) {
    DockerHttpClient.Request request = DockerHttpClient.Request.builder()
        .method(DockerHttpClient.Request.Method.GET).path("/version").build();
    int status;
    JsonObject json;
    try (DockerHttpClient.Response response = http.execute(request); InputStream body = response.getBody()) {
      status = response.getStatusCode();
      json = status == 200
          ? JsonParser.parseReader(new InputStreamReader(body, StandardCharsets.UTF_8)).getAsJsonObject() : null;
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("cannot reach the Docker engine at " + where + " (" + e.getMessage()
          + "): is dockerd running, and is --docker-host right?", e);
    }
    if (json == null) {
      throw new IllegalStateException("the Docker engine at " + where + " answered GET /version with HTTP " + status);
    }
    return parse(json);
  }

  static EngineVersion parse(JsonObject json) {
    return new EngineVersion(text(json, "Version"), text(json, "ApiVersion"), text(json, "MinAPIVersion"));
  }

  private static String text(JsonObject json, String field) {
    return json.has(field) && json.get(field).isJsonPrimitive() ? json.get(field).getAsString() : "";
  }
}
