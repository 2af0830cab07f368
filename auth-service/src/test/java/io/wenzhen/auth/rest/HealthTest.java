package io.wenzhen.auth.rest;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.wenzhen.testing.RealInfrastructureResource;
import io.wenzhen.testing.ServiceHealth;

@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
class HealthTest {

    @Test
    void readyOnlyWithKafkaAndDatabase() {
        ServiceHealth.assertReadyWith("Kafka connection health check", "Reactive PostgreSQL connections health check");
        ServiceHealth.assertOperatorEndpoints();
    }
}
