package dev.wasmorch.shim.e2e;

import dev.wasmorch.shim.image.OciImageWriter;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Packs a Spin app directory with the image packer and imports it into the private containerd. */
final class AppImages {

    private AppImages() {}

    static String imageRef(String name) {
        return "docker.io/wasmorch/" + name + ":e2e";
    }

    static void importImage(PrivateContainerd containerd, Path appDir, String name) throws Exception {
        importImage(containerd, PrivateContainerd.NAMESPACE, appDir, imageRef(name));
    }

    /** Imports into a containerd namespace ({@code k8s.io} is the CRI plugin's) under a full reference. */
    static void importImage(PrivateContainerd containerd, String namespace, Path appDir, String ref) throws Exception {
        Path archive = containerd.dir().resolve(ref.replaceAll("[^A-Za-z0-9.-]", "_") + ".tar");
        try (OutputStream out = Files.newOutputStream(archive)) {
            OciImageWriter.write(appDir, out, ref, "linux", hostArch());
        }
        containerd.ctrIn(namespace, "image", "import", archive.toString()).ok();
    }

    static String hostArch() {
        String arch = System.getProperty("os.arch");
        return arch.equals("x86_64") || arch.equals("amd64") ? "amd64" : arch.equals("aarch64") ? "arm64" : arch;
    }
}
