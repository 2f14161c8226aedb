package dev.lifeboat.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.confirm.Confirmation;
import dev.lifeboat.core.confirm.Plan;
import org.junit.jupiter.api.Test;

class PlanHandoffTest {
    private final Plan plan = new Plan() {
        @Override
        public Confirmation confirmation() {
            return null;
        }

        @Override
        public String summary() {
            return "a plan";
        }
    };

    @Test
    void aPlanMadeWhileTheRequestWaitsReachesIt() {
        PlanHandoff h = new PlanHandoff();
        assertThat(h.offer(plan)).isTrue();
        assertThat(h.close()).isSameAs(plan);
    }

    @Test
    void aPlanMadeAfterTheRequestStoppedWaitingIsRefusedSoItsCallCanSaySo() {
        PlanHandoff h = new PlanHandoff();
        assertThat(h.close()).isNull();
        assertThat(h.offer(plan)).isFalse();
        assertThat(h.get()).isNull();
    }
}
