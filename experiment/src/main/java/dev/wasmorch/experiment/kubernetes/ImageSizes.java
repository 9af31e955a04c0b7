package dev.wasmorch.experiment.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.Node;
import java.util.List;

/**
 * Image sizes as the nodes report them in {@code status.images}: the kubelet's view of its
 * container runtime's store (containerd's CRI gives the image's content size in its store), at most
 * the 50 largest images per node by the kubelet's default. No registry is asked.
 */
final class ImageSizes {

    private final List<Node> nodes;

    ImageSizes(List<Node> nodes) {
        this.nodes = nodes;
    }

    /** The size of an image on the first node that reports it, or null when none does. */
    Long of(String image) {
        for (Node n : nodes) {
            if (n.getStatus() == null || n.getStatus().getImages() == null) {
                continue;
            }
            for (ContainerImage i : n.getStatus().getImages()) {
                Long size = i.getSizeBytes();
                // a negative size is no size; the node's word is otherwise taken as it is
                if (size != null
                        && size >= 0
                        && i.getNames() != null
                        && i.getNames().stream().anyMatch(name -> sameImage(name, image))) {
                    return size;
                }
            }
        }
        return null;
    }

    /** The kubelet reports fully qualified names; a short name is Docker Hub's. */
    static boolean sameImage(String reported, String image) {
        return reported.equals(image)
                || reported.equals("docker.io/" + image)
                || reported.equals("docker.io/library/" + image);
    }
}
