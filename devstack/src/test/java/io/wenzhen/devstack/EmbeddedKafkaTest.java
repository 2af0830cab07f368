package io.wenzhen.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class EmbeddedKafkaTest {

    /** One id in 64 began with '-' and the storage tool took it for an option: ./wenzhen up then failed. */
    @Test
    void clusterIdsNeverLookLikeAnOption() {
        for (int i = 0; i < 10_000; i++) {
            String id = EmbeddedKafka.newClusterId();
            assertFalse(id.startsWith("-"), id);
            assertEquals(22, id.length());
        }
    }
}
