package io.breakglass.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * An OCI image layout on disk with one image, read and checked as a registry or a container runtime
 * would check it: every descriptor's digest and size match its blob, and the config's {@code
 * diff_ids} match the uncompressed layers. {@link #read} throws on the first mismatch.
 */
final class OciLayout {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One entry of a layer's tar: its path without a leading "./", mode bits and tar type flag. */
  record Entry(String name, int mode, char type) {
    boolean isExecutableFile() {
      return (type == '0' || type == '\0') && (mode & 0111) != 0;
    }
  }

  private final Path dir;
  private final JsonNode manifest;
  private final JsonNode config;

  private OciLayout(Path dir, JsonNode manifest, JsonNode config) {
    this.dir = dir;
    this.manifest = manifest;
    this.config = config;
  }

  static OciLayout read(Path dir) throws IOException {
    JsonNode layout = JSON.readTree(dir.resolve("oci-layout").toFile());
    check(layout.path("imageLayoutVersion").asText().equals("1.0.0"), "oci-layout version");
    JsonNode index = JSON.readTree(dir.resolve("index.json").toFile());
    check(index.path("manifests").size() == 1, "index.json names one manifest");
    JsonNode manifestDescriptor = index.path("manifests").get(0);
    JsonNode manifest = JSON.readTree(verified(dir, manifestDescriptor).toFile());
    JsonNode config = JSON.readTree(verified(dir, manifest.path("config")).toFile());
    JsonNode diffIds = config.path("rootfs").path("diff_ids");
    check(diffIds.size() == manifest.path("layers").size(), "one diff_id per layer");
    for (int i = 0; i < diffIds.size(); i++) {
      Path layer = verified(dir, manifest.path("layers").get(i));
      check(
          diffIds.get(i).asText().equals("sha256:" + uncompressedSha256(layer)),
          "diff_id of layer " + i + " is the digest of its uncompressed tar");
    }
    return new OciLayout(dir, manifest, config);
  }

  /** The reference name the index gives the image (its tag). */
  static String refName(Path dir) throws IOException {
    return JSON.readTree(dir.resolve("index.json").toFile())
        .path("manifests")
        .get(0)
        .path("annotations")
        .path("org.opencontainers.image.ref.name")
        .asText();
  }

  /** The container configuration: User, Entrypoint, Env, WorkingDir, ExposedPorts, Labels. */
  JsonNode containerConfig() {
    return config.path("config");
  }

  List<Path> layers() {
    List<Path> layers = new ArrayList<>();
    manifest.path("layers").forEach(l -> layers.add(blob(dir, l.path("digest").asText())));
    return layers;
  }

  /** Every entry of every layer. */
  List<Entry> entries() throws IOException {
    List<Entry> entries = new ArrayList<>();
    for (Path layer : layers()) {
      entries.addAll(entries(layer));
    }
    return entries;
  }

  private static List<Entry> entries(Path layer) throws IOException {
    List<Entry> entries = new ArrayList<>();
    try (InputStream in =
        new BufferedInputStream(new GZIPInputStream(Files.newInputStream(layer)), 1 << 16)) {
      byte[] header = new byte[512];
      String longName = null;
      while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
        long size = Long.parseLong(text(header, 124, 12).trim(), 8);
        char type = (char) header[156];
        byte[] data = type == 'L' ? in.readNBytes((int) size) : null;
        if (data == null) {
          in.skipNBytes(size);
        }
        in.skipNBytes((512 - size % 512) % 512);
        if (type == 'L') { // a GNU long name: it names the entry that follows
          longName = text(data, 0, data.length);
          continue;
        }
        String name = longName != null ? longName : text(header, 0, 100);
        longName = null;
        int mode = Integer.parseInt(text(header, 100, 8).trim(), 8);
        entries.add(new Entry(name.replaceFirst("^\\./", ""), mode, type));
      }
    }
    return entries;
  }

  private static String text(byte[] bytes, int offset, int length) {
    int end = offset;
    while (end < offset + length && bytes[end] != 0) {
      end++;
    }
    return new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
  }

  private static Path verified(Path dir, JsonNode descriptor) throws IOException {
    String digest = descriptor.path("digest").asText();
    Path blob = blob(dir, digest);
    check(Files.size(blob) == descriptor.path("size").asLong(), "size of " + digest);
    try (InputStream in = Files.newInputStream(blob)) {
      check(digest.equals("sha256:" + sha256(in)), "content of " + digest + " matches its digest");
    }
    return blob;
  }

  private static Path blob(Path dir, String digest) {
    check(digest.matches("sha256:[0-9a-f]{64}"), "digest " + digest);
    return dir.resolve("blobs").resolve("sha256").resolve(digest.substring("sha256:".length()));
  }

  private static String uncompressedSha256(Path layer) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(layer), 1 << 16)) {
      return sha256(in);
    }
  }

  private static String sha256(InputStream in) throws IOException {
    try {
      DigestInputStream digesting = new DigestInputStream(in, MessageDigest.getInstance("SHA-256"));
      digesting.transferTo(OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(digesting.getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void check(boolean condition, String what) {
    if (!condition) {
      throw new IllegalStateException("invalid image layout: " + what);
    }
  }
}
