package dev.wasmorch.pipeline.source;

import org.apache.flink.api.connector.source.SourceSplit;

/**
 * One followed file: which file (path as discovered and its inode-based identity), how far it has
 * been read, and a fingerprint of its first bytes so a restored reader notices a file that was
 * truncated or replaced while the job was down.
 *
 * @param path              the path the file was discovered under (it may be renamed later)
 * @param fileKey           the file's identity ({@code (dev=..,ino=..)} on Linux), the split id
 * @param offset            byte offset just after the last emitted line
 * @param line              number of lines consumed from this file so far
 * @param reportedLines     how many of those were already reported downstream in progress records
 * @param fingerprint       CRC-32 of the first {@code fingerprintLength} bytes
 * @param fingerprintLength how many leading bytes the fingerprint covers (at most 1 KiB)
 */
public record TailSplit(
        String path,
        String fileKey,
        long offset,
        long line,
        long reportedLines,
        long fingerprint,
        int fingerprintLength)
        implements SourceSplit {

    public static TailSplit fromStart(String path, String fileKey) {
        return new TailSplit(path, fileKey, 0, 0, 0, 0, 0);
    }

    @Override
    public String splitId() {
        return fileKey;
    }
}
