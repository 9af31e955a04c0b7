package dev.wasmorch.pipeline.source;

import java.util.List;
import java.util.Map;

/**
 * What the enumerator checkpoints: every file identity it has handed out (so a restored job does
 * not read a file again from its start) and the splits not yet assigned to a reader.
 *
 * @param known   file key to the path it was discovered under
 * @param pending splits waiting for their reader
 */
public record TailEnumeratorState(Map<String, String> known, List<TailSplit> pending) {}
