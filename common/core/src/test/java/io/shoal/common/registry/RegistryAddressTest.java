package io.shoal.common.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegistryAddressTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "docker.io, docker.io",
      "index.docker.io, docker.io",
      "registry-1.docker.io, docker.io",
      "https://index.docker.io/v1/, docker.io",
      "HTTPS://Index.Docker.IO/v1/, docker.io",
      "https://registry-1.docker.io, docker.io",
      "'  docker.io  ', docker.io",
      "http://127.0.0.1:5000, 127.0.0.1:5000",
      "https://127.0.0.1:5000/, 127.0.0.1:5000",
      "127.0.0.1:5000, 127.0.0.1:5000",
      "registry.example.com/, registry.example.com",
      "registry.example.com/v2/, registry.example.com",
      "localhost:5000, localhost:5000",
      // A registry other than Docker Hub keeps its case, as an image reference keeps it.
      "Registry.Example.com, Registry.Example.com",
  })
  void anAddressIsNamedAsAnImageReferenceNamesItsRegistry(String address, String expected) {
    assertThat(RegistryAddress.normalize(address)).isEqualTo(expected);
  }
}
