package io.wenzhen.testing;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points a {@code @QuarkusTest} at the real PostgreSQL and Kafka of {@link RealInfrastructure}, with
 * the same configuration names the services read in production ({@code WENZHEN_POSTGRES_URL} …).
 */
public class RealInfrastructureResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        RealInfrastructure infra = RealInfrastructure.get();
        Map<String, String> config = new HashMap<>();
        config.put("wenzhen.postgres.url", infra.postgres().url());
        config.put("wenzhen.postgres.user", "wenzhen");
        config.put("wenzhen.postgres.password", infra.postgres().password());
        config.put("kafka.bootstrap.servers", infra.kafkaBootstrap());
        config.put("mp.jwt.verify.publickey.location", infra.jwtPublicKey().toString());
        config.put("smallrye.jwt.sign.key.location", infra.jwtPrivateKey().toString());
        config.put("wenzhen.secrets.master-key-file", infra.masterKey().toString());
        config.put("wenzhen.secrets.cluster-key-file", infra.clusterKey().toString());
        config.put("wenzhen.bootstrap.admin-password-file", infra.bootstrapAdminPasswordFile().toString());
        return config;
    }

    @Override
    public void stop() {
        // shared by every test class of the JVM; stopped by RealInfrastructure's shutdown hooks
    }
}
