package dev.lifeboat.core.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.base.Progress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DumpProgressViewTest {
    private final List<String> reports = new ArrayList<>();
    private final Progress out = (done, total, message) -> reports.add(done + "/" + total + " " + message);

    @Test
    void aMeasuredDatabaseIsReportedInItsTableSizesWithTheBytesWrittenInTheMessage() {
        DumpProgressView view = new DumpProgressView(out, "dumping app");
        view.sized(3000, 2);
        view.accept(512);
        view.tableStarted("public.a", 0, 3000, 1, 2);
        view.accept(2048);
        view.tableStarted("public.b", 3000, 3000, 2, 2); // the last table of a database measured low
        assertThat(reports)
                .containsExactly(
                        "0/3000 dumping app: 0 B written",
                        "0/3000 dumping app: 512 B written",
                        "0/3000 dumping app: 512 B written, table public.a (1 of 2)",
                        "0/3000 dumping app: 2.0 KiB written, table public.a (1 of 2)",
                        "2999/3000 dumping app: 2.0 KiB written, table public.b (2 of 2)");
    }

    @Test
    void withoutAMeasureTheBytesWrittenAreTheAmountWithoutATotal() {
        DumpProgressView view = new DumpProgressView(out, "dumping app");
        view.accept(100);
        view.sized(0, 0); // an empty database: nothing to measure against
        view.accept(200);
        assertThat(reports).containsExactly("100/-1 dumping app", "200/-1 dumping app");
    }
}
