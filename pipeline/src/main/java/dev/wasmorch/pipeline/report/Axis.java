package dev.wasmorch.pipeline.report;

/**
 * A linear axis from 0 to a "nice" maximum (1, 2, 2.5 or 5 times a power of ten per tick), so
 * tick labels read like 0, 0.5, 1.0, 1.5 rather than 0, 0.437, 0.874.
 *
 * @param max  the axis end, at least the data maximum
 * @param step distance between ticks
 */
record Axis(double max, double step) {

    static Axis upTo(double dataMax) {
        double m = Double.isFinite(dataMax) && dataMax > 0 ? dataMax : 1;
        double raw = m / 5;
        double pow = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = pow * 10;
        for (double f : new double[] {1, 2, 2.5, 5, 10}) {
            if (f * pow >= raw) {
                step = f * pow;
                break;
            }
        }
        return new Axis(Math.ceil(m / step - 1e-9) * step, step);
    }

    int ticks() {
        return (int) Math.round(max / step);
    }

    /** The tick label: as many decimals as the step needs. */
    String label(int i) {
        double v = i * step;
        int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) + 1e-9));
        if (Math.abs(step * Math.pow(10, decimals) - Math.rint(step * Math.pow(10, decimals))) > 1e-6) {
            decimals++;
        }
        return Html.fixed(v, decimals);
    }
}
