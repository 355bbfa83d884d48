package io.breakglass.activities.deploy.kubernetes.manifests;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The manifests of deploy/kubernetes, read strictly: every document must be a kind Fabric8 has a
 * typed model for, with no field that model does not know. Overlays are rendered by the real
 * kustomize (bin/install-prerequisites --tests builds it into .tools/bin).
 */
final class Manifests {

  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path KUBERNETES = ROOT.resolve(Path.of("deploy", "kubernetes"));
  static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private Manifests() {}

  /** Every resource of {@code yaml} (one or more documents), typed and with no unknown field. */
  static List<HasMetadata> parseStrictly(String yaml) {
    Object parsed = SERIALIZATION.unmarshal(yaml);
    List<HasMetadata> resources = new ArrayList<>();
    if (parsed instanceof List<?> list) {
      list.forEach(item -> resources.add((HasMetadata) item));
    } else if (parsed instanceof KubernetesList list) {
      resources.addAll(list.getItems());
    } else {
      resources.add((HasMetadata) parsed);
    }
    for (HasMetadata resource : resources) {
      String name = resource.getKind() + " " + resource.getMetadata().getName();
      if (resource instanceof GenericKubernetesResource) {
        throw new IllegalArgumentException(
            name + " (" + resource.getApiVersion() + ") has no typed model");
      }
      List<String> unknown = UnknownFields.of(resource);
      if (!unknown.isEmpty()) {
        throw new IllegalArgumentException(
            name + " has fields its model does not know: " + unknown);
      }
    }
    return resources;
  }

  /** The resource files of the base, each parsed on its own (kustomization.yaml aside). */
  static Map<Path, List<HasMetadata>> baseFiles() throws IOException {
    Map<Path, List<HasMetadata>> files = new java.util.TreeMap<>();
    try (Stream<Path> paths = Files.list(KUBERNETES.resolve("base"))) {
      for (Path file : paths.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        if (!file.getFileName().toString().equals("kustomization.yaml")) {
          files.put(file, parseStrictly(Files.readString(file)));
        }
      }
    }
    return files;
  }

  private static final Map<String, String> RENDERED =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** {@code kustomize build} of a directory under deploy/kubernetes, e.g. overlays/dev (once). */
  static String render(String directory) throws IOException, InterruptedException {
    String rendered = RENDERED.get(directory);
    if (rendered == null) {
      rendered = build(directory);
      RENDERED.put(directory, rendered);
    }
    return rendered;
  }

  private static String build(String directory) throws IOException, InterruptedException {
    Process build =
        new ProcessBuilder(kustomize(), "build", KUBERNETES.resolve(directory).toString())
            .redirectErrorStream(true)
            .start();
    byte[] output = build.getInputStream().readAllBytes();
    if (!build.waitFor(60, TimeUnit.SECONDS) || build.exitValue() != 0) {
      throw new IllegalStateException(
          "kustomize build "
              + directory
              + " failed: "
              + new String(output, StandardCharsets.UTF_8));
    }
    return new String(output, StandardCharsets.UTF_8);
  }

  private static String kustomize() {
    Path tool = ROOT.resolve(Path.of(".tools", "bin", "kustomize"));
    if (Files.isExecutable(tool)) {
      return tool.toString();
    }
    for (String dir : System.getenv("PATH").split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, "kustomize"))) {
        return Path.of(dir, "kustomize").toString();
      }
    }
    throw new IllegalStateException(
        "no kustomize in .tools/bin or on the PATH: run bin/install-prerequisites --tests");
  }
}
