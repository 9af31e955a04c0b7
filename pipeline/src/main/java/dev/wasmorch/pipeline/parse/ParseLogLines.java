package dev.wasmorch.pipeline.parse;

import dev.wasmorch.pipeline.model.Count;
import dev.wasmorch.pipeline.model.LifecycleEvent;
import dev.wasmorch.pipeline.model.RawLine;
import dev.wasmorch.pipeline.model.Reject;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Parses {@link RawLine}s into {@link LifecycleEvent}s; the same operator serves the batch and the
 * streaming job. Rejects go to {@link #REJECTS}. Counters go to {@link #COUNTS}, summed locally and
 * flushed on every end-of-file record and every 10 000 lines of interest (never one per line);
 * counts not yet flushed are kept in operator state across checkpoints.
 *
 * <p>Counters: {@code lines_read} (all lines of the files, from end-of-file records),
 * {@code lines_matched} (lines that passed the source's byte filter), {@code events},
 * {@code rejected:REASON} (a damaged file's unreadable tail counts once, as {@code damaged_file}).
 */
public class ParseLogLines extends ProcessFunction<RawLine, LifecycleEvent> implements CheckpointedFunction {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<Reject> REJECTS = new OutputTag<>("rejects", TypeInformation.of(Reject.class));
    public static final OutputTag<Count> COUNTS = new OutputTag<>("counts", TypeInformation.of(Count.class));

    static final int FLUSH_EVERY_MATCHED = 10_000;

    private final ParserOptions options;
    private transient LineParser parser;
    private transient Map<String, Long> pending;
    private transient long matchedSinceFlush;
    private transient ListState<Count> pendingState;

    public ParseLogLines(ParserOptions options) {
        this.options = options;
    }

    @Override
    public void open(OpenContext openContext) {
        parser = new LineParser(options);
    }

    @Override
    public void processElement(RawLine line, Context ctx, Collector<LifecycleEvent> out) {
        if (line.endOfFile()) {
            add("lines_read", line.linesRead());
            if (line.damage() != null) {
                // The lines before the damage were used; the unreadable rest is one reject naming the file.
                ctx.output(
                        REJECTS,
                        new Reject(line.file(), line.linesRead() + 1, Reasons.DAMAGED_FILE, line.damage(), ""));
                add("rejected:" + Reasons.DAMAGED_FILE, 1);
            }
            flush(ctx);
            return;
        }
        add("lines_matched", 1);
        ParseResult result = parser.parse(line);
        for (LifecycleEvent e : result.events()) {
            out.collect(e);
        }
        if (!result.events().isEmpty()) {
            add("events", result.events().size());
        }
        if (result.reject() != null) {
            ctx.output(REJECTS, result.reject());
            add("rejected:" + result.reject().reason(), 1);
        }
        if (++matchedSinceFlush >= FLUSH_EVERY_MATCHED) {
            flush(ctx);
        }
    }

    private void add(String name, long delta) {
        pending.merge(name, delta, Long::sum);
    }

    private void flush(Context ctx) {
        for (Map.Entry<String, Long> e : pending.entrySet()) {
            ctx.output(COUNTS, new Count(e.getKey(), e.getValue()));
        }
        pending.clear();
        matchedSinceFlush = 0;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        pendingState.clear();
        for (Map.Entry<String, Long> e : pending.entrySet()) {
            pendingState.add(new Count(e.getKey(), e.getValue()));
        }
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        pending = new LinkedHashMap<>();
        pendingState = context.getOperatorStateStore()
                .getListState(new ListStateDescriptor<>("pending-counts", TypeInformation.of(Count.class)));
        if (context.isRestored()) {
            for (Count c : pendingState.get()) {
                add(c.name(), c.delta());
            }
        }
    }
}
