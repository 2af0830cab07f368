package io.wenzhen.gateway;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.wenzhen.testing.GrafanaDashboards;
import io.wenzhen.testing.RealInfrastructureResource;
import io.wenzhen.testing.ServiceHealth;

/** The service's operator surface against a real Kafka. */
@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
class HealthTest {

    @Test
    void readyWithItsDependencies() {
        ServiceHealth.assertReadyWith("Kafka connection health check");
        ServiceHealth.assertOperatorEndpoints();
        GrafanaDashboards.assertServed("wenzhen_sfu_");
    }
}
