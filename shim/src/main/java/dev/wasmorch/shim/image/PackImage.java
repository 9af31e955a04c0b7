package dev.wasmorch.shim.image;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code PackImage APPDIR OUT.tar NAME:TAG [OS/ARCH]}: packs a Spin app directory as an OCI image
 * archive for {@code ctr image import OUT.tar} (on K3s: {@code k3s ctr -n k8s.io image import}).
 * The platform defaults to linux and this machine's architecture.
 */
public final class PackImage {

    private PackImage() {}

    public static void main(String[] args) {
        if (args.length < 3 || args.length > 4) {
            System.err.println("usage: PackImage APPDIR OUT.tar NAME:TAG [OS/ARCH]\n"
                    + "  packs APPDIR (spin.toml + modules) as an OCI image archive for `ctr image import`");
            System.exit(2);
        }
        String[] platform = (args.length == 4 ? args[3] : "linux/" + hostArch()).split("/", 2);
        if (platform.length != 2) {
            System.err.println("PackImage: platform must be OS/ARCH, got " + args[3]);
            System.exit(2);
        }
        Path out = Path.of(args[1]);
        try (OutputStream os = Files.newOutputStream(out)) {
            var result = OciImageWriter.write(Path.of(args[0]), os, args[2], platform[0], platform[1]);
            System.out.printf(
                    "wrote %s: %s (manifest %s, layer %d bytes)%n",
                    out, result.name(), result.manifestDigest(), result.layerSize());
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("PackImage: " + e.getMessage());
            try {
                Files.deleteIfExists(out);
            } catch (IOException ignored) {
                // the message above already tells the user the archive is unusable
            }
            System.exit(1);
        }
    }

    /** The JVM's os.arch in Go/OCI spelling. */
    static String hostArch() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> arch;
        };
    }
}
