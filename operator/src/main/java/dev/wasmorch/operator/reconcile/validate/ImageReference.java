package dev.wasmorch.operator.reconcile.validate;

import dev.wasmorch.operator.crd.WasmAppSpec;
import dev.wasmorch.operator.reconcile.status.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The image a WasmApp runs: {@code spec.ociImage} (a repository name, optionally pinned with
 * {@code @algorithm:hex}) and {@code spec.ociImageTag}, checked against the OCI/Docker distribution
 * reference grammar, so that the kubelet is never handed a reference it cannot pull.
 *
 * @param name domain and path, e.g. {@code ghcr.io/wasmorch/hello}
 * @param tag the tag, or null
 * @param digest {@code sha256:...}, or null
 */
public record ImageReference(String name, String tag, String digest) {
    /** The distribution reference's limit on domain plus path. */
    static final int MAX_NAME_LENGTH = 255;

    private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern DOMAIN = Pattern.compile(
            "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*"
                    + "|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?");
    private static final Pattern TAG = Pattern.compile(WasmAppSpec.TAG_PATTERN);
    private static final Pattern DIGEST_SHAPE =
            Pattern.compile("[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:.*");

    /** Splits a spec that {@link #problems} accepted. */
    public static ImageReference of(WasmAppSpec spec) {
        String image = spec.getOciImage();
        int at = image.indexOf('@');
        String tag = spec.getOciImageTag();
        return at < 0
                ? new ImageReference(image, tag, null)
                : new ImageReference(image.substring(0, at), tag, image.substring(at + 1));
    }

    /** The reference the container runs: {@code name[:tag][@digest]} (the digest decides what is pulled). */
    public String reference() {
        return name + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }

    /** What is wrong with spec.ociImage and spec.ociImageTag, each problem naming its field; empty when usable. */
    static List<String> problems(String ociImage, String ociImageTag) {
        List<String> problems = new ArrayList<>();
        boolean digest = false;
        if (ociImage == null || ociImage.isEmpty()) {
            problems.add("spec.ociImage: required");
        } else {
            int at = ociImage.indexOf('@');
            String name = at < 0 ? ociImage : ociImage.substring(0, at);
            nameProblem(name).ifPresent(p -> problems.add("spec.ociImage: " + p));
            if (at >= 0) {
                digest = true;
                digestProblem(ociImage.substring(at + 1)).ifPresent(p -> problems.add("spec.ociImage: " + p));
            }
        }
        // Absent is allowed with a digest; empty is not a tag, as in the schema's pattern.
        if (ociImageTag == null) {
            if (!digest) {
                problems.add("spec.ociImageTag: required unless spec.ociImage is pinned by digest (name@sha256:...)");
            }
        } else if (!TAG.matcher(ociImageTag).matches()) {
            problems.add("spec.ociImageTag: not an image tag (a letter, digit or '_', then up to 127 of those, '.' or"
                    + " '-'): " + KubernetesNames.shown(ociImageTag));
        }
        return problems;
    }

    private static Optional<String> nameProblem(String name) {
        // Length first: the patterns below must never see a 10,000-character string.
        if (name.length() > MAX_NAME_LENGTH) {
            return Optional.of("the repository name is " + name.length() + " characters long, at most "
                    + MAX_NAME_LENGTH + " are allowed");
        }
        if (isName(name)) {
            return Optional.empty();
        }
        int colon = name.lastIndexOf(':');
        if (colon > name.lastIndexOf('/')
                && isName(name.substring(0, colon))
                && TAG.matcher(name.substring(colon + 1)).matches()) {
            return Optional.of("must not carry a tag (" + Problem.quote(name) + "); give the tag in spec.ociImageTag");
        }
        return Optional.of("not a repository name ([domain[:port]/]path, path components of lower-case"
                + " letters and digits joined by '.', '_', '__' or '-', separated by '/'): "
                + Problem.quote(name));
    }

    /** The grammar's {@code [domain '/'] path-component ['/' path-component]*}. */
    private static boolean isName(String name) {
        String[] parts = name.split("/", -1);
        boolean allPath = true;
        for (String part : parts) {
            allPath &= PATH_COMPONENT.matcher(part).matches();
        }
        if (allPath) {
            return true;
        }
        if (parts.length < 2 || !DOMAIN.matcher(parts[0]).matches()) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            if (!PATH_COMPONENT.matcher(parts[i]).matches()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Only the digest algorithms registered for OCI content (go-digest's): a digest the registry
     * cannot verify would pin nothing.
     */
    private static Optional<String> digestProblem(String digest) {
        int expected = switch (digest.substring(0, Math.max(0, digest.indexOf(':')))) {
            case "sha256" -> 64;
            case "sha384" -> 96;
            case "sha512" -> 128;
            default -> -1;
        };
        String hex = digest.substring(digest.indexOf(':') + 1);
        if (expected < 0) {
            return Optional.of(
                    digest.length() <= 140 && DIGEST_SHAPE.matcher(digest).matches()
                            ? "unsupported digest algorithm in " + Problem.quote(digest) + " (sha256, sha384 or sha512)"
                            : "not a digest (algorithm:hex, e.g. sha256: and 64 hex digits) after '@': "
                                    + Problem.quote(abbreviate(digest)));
        }
        if (hex.length() != expected || !hex.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
            return Optional.of("a " + digest.substring(0, digest.indexOf(':')) + " digest is " + expected
                    + " lower-case hex digits, got " + Problem.quote(abbreviate(digest)));
        }
        return Optional.empty();
    }

    private static String abbreviate(String s) {
        return s.length() <= 140 ? s : s.substring(0, 140) + "... (" + s.length() + " characters)";
    }
}
