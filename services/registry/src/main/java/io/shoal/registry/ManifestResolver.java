package io.shoal.registry;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Asks a registry (HTTP API v2) which digest a tag points to now: HEAD on the manifest, GET when
 * HEAD gives no digest, with the bearer-token flow when the registry asks for it. Registries on
 * loopback, and those named insecure, are spoken to over plain HTTP, as dockerd does.
 */
public final class ManifestResolver {
  static final String ACCEPT =
      String.join(", ",
          "application/vnd.docker.distribution.manifest.list.v2+json",
          "application/vnd.oci.image.index.v1+json",
          "application/vnd.docker.distribution.manifest.v2+json",
          "application/vnd.oci.image.manifest.v1+json");
  private static final Pattern CHALLENGE_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  /** The registry could not tell the digest: unreachable, unknown tag, or refused. */
  public static final class UnresolvedException extends Exception {
    public UnresolvedException(String message) {
      super(message);
    }
  }

  private final HttpClient http;
  private final Set<String> insecureRegistries;
  private final Duration timeout;

  public ManifestResolver(Set<String> insecureRegistries, Duration timeout) {
    this.insecureRegistries = insecureRegistries;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
  }

  /** Returns the digest ({@code sha256:…}) of {@code ref}'s tag. */
  public String resolveDigest(ImageReference ref) throws UnresolvedException {
    URI uri = URI.create(scheme(ref.apiHost()) + "://" + ref.apiHost() + "/v2/" + ref.path() + "/manifests/" + ref.tag());
    try {
      HttpResponse<byte[]> head = send(request(uri, "HEAD", null));
      String token = null;
      if (head.statusCode() == 401) {
        token = fetchToken(head, ref);
        head = send(request(uri, "HEAD", token));
      }
      if (head.statusCode() == 200) {
        Optional<String> digest = head.headers().firstValue("Docker-Content-Digest");
        if (digest.isPresent()) {
          return digest.get();
        }
      }
      HttpResponse<byte[]> get = send(request(uri, "GET", token));
      if (get.statusCode() == 200) {
        return get.headers().firstValue("Docker-Content-Digest").orElseGet(() -> sha256(get.body()));
      }
      throw new UnresolvedException(describe(ref, get.statusCode()));
    } catch (IOException e) {
      throw new UnresolvedException("registry " + ref.registry() + " unreachable: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnresolvedException("interrupted while asking " + ref.registry());
    }
  }

  private String fetchToken(HttpResponse<?> challenge, ImageReference ref)
      throws UnresolvedException, IOException, InterruptedException {
    String header = challenge.headers().firstValue("WWW-Authenticate").orElse("");
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new UnresolvedException("registry " + ref.registry() + " requires authentication ("
          + (header.isEmpty() ? "no challenge given" : header) + ")");
    }
    Map<String, String> params = new LinkedHashMap<>();
    Matcher m = CHALLENGE_PARAM.matcher(header.substring(7));
    while (m.find()) {
      params.put(m.group(1).toLowerCase(), m.group(2));
    }
    String realm = params.get("realm");
    if (realm == null) {
      throw new UnresolvedException("registry " + ref.registry() + " sent a bearer challenge without a realm");
    }
    StringBuilder url = new StringBuilder(realm).append(realm.contains("?") ? '&' : '?');
    url.append("scope=").append(enc(params.getOrDefault("scope", "repository:" + ref.path() + ":pull")));
    if (params.containsKey("service")) {
      url.append("&service=").append(enc(params.get("service")));
    }
    HttpResponse<String> response =
        http.send(HttpRequest.newBuilder(URI.create(url.toString())).timeout(timeout).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new UnresolvedException("token endpoint of " + ref.registry() + " answered " + response.statusCode());
    }
    Matcher token = Pattern.compile("\"(?:token|access_token)\"\\s*:\\s*\"([^\"]+)\"").matcher(response.body());
    if (!token.find()) {
      throw new UnresolvedException("token endpoint of " + ref.registry() + " sent no token");
    }
    return token.group(1);
  }

  private HttpRequest request(URI uri, String method, String token) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", ACCEPT)
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b.build();
  }

  private HttpResponse<byte[]> send(HttpRequest request) throws IOException, InterruptedException {
    return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  private String scheme(String host) {
    String bare = host.contains(":") && !host.endsWith("]") ? host.substring(0, host.lastIndexOf(':')) : host;
    boolean loopback = bare.equals("localhost") || bare.startsWith("127.") || bare.equals("[::1]");
    return loopback || insecureRegistries.contains(host) ? "http" : "https";
  }

  private static String describe(ImageReference ref, int status) {
    return switch (status) {
      case 401, 403 -> "registry " + ref.registry() + " refused access to " + ref.path() + " (" + status + ")";
      case 404 -> "manifest for " + ref.familiarName() + ":" + ref.tag() + " not found on " + ref.registry();
      default -> "registry " + ref.registry() + " answered " + status + " for " + ref.familiarName() + ":" + ref.tag();
    };
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String sha256(byte[] body) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
