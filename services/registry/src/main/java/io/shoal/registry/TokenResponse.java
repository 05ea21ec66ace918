package io.shoal.registry;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The bearer token in a registry token endpoint's answer (the distribution spec's token
 * authentication): {@code token}, or {@code access_token} (OAuth 2's name, which some registries
 * send instead), a non-empty string. Parsed as JSON, so escapes and field order are read as JSON
 * means them.
 */
final class TokenResponse {
  private TokenResponse() {}

  /** The token, or empty when the body is not a JSON object holding one. */
  static Optional<String> token(byte[] body) {
    JsonObject json;
    try {
      JsonElement parsed = JsonParser.parseString(new String(body, StandardCharsets.UTF_8));
      if (!parsed.isJsonObject()) {
        return Optional.empty();
      }
      json = parsed.getAsJsonObject();
    } catch (JsonParseException e) {
      return Optional.empty();
    }
    for (String field : new String[] {"token", "access_token"}) {
      JsonElement value = json.get(field);
      if (value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()
          && !value.getAsString().isEmpty()) {
        return Optional.of(value.getAsString());
      }
    }
    return Optional.empty();
  }
}
