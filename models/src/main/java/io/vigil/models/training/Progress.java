package io.vigil.models.training;

import java.util.function.Consumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** The progress bar of long commands: live on a terminal, a line every 30 s otherwise (a pod's log). */
public final class Progress {

    private Progress() {}

    /**
     * @param lines where progress lines go; {@code null} for a live bar on the terminal
     */
    public static ProgressBar bar(String task, int max, String unit, Consumer<String> lines) {
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setUnit(unit, 1);
        if (lines == null) {
            b.setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUpdateIntervalMillis(500);
        } else {
            b.setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(30_000)
                    .setConsumer(new DelegatingProgressBarConsumer(lines, 100));
        }
        return b.build();
    }
}
