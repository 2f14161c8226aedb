package dev.lifeboat.core.store.s3;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.Secret;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;

/**
 * How an S3 store's client is made from its settings: credentials (environment variables the store
 * names, a profile, or the SDK's default chain; never a setting's value), region, endpoint, and the
 * async client with its own event loops, retry strategy and checksum policy.
 */
final class S3Clients {
    private S3Clients() {}

    /** Event loops of the store's own, so close() need not wait out the shared group's 2 s quiet period. */
    static EventLoopGroup eventLoops() {
        return new NioEventLoopGroup(2, new DefaultThreadFactory("lifeboat-s3", true));
    }

    static S3AsyncClient client(S3Settings s, AwsCredentialsProvider credentials, Region region, EventLoopGroup loops) {
        S3AsyncClientBuilder b = S3AsyncClient.builder()
                .region(region)
                .credentialsProvider(credentials)
                .forcePathStyle(s.pathStyle())
                .requestChecksumCalculation(
                        s.checksums()
                                ? RequestChecksumCalculation.WHEN_SUPPORTED
                                : RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(
                        s.checksums()
                                ? ResponseChecksumValidation.WHEN_SUPPORTED
                                : ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        .eventLoopGroup(SdkEventLoopGroup.create(loops))
                        .maxConcurrency(Math.max(16, s.maxInFlight() * 2 + 8))
                        .connectionTimeout(Duration.ofSeconds(10))
                        // a busy event loop (wire logging at DEBUG) must not fail parts waiting for a connection
                        .connectionAcquisitionTimeout(Duration.ofSeconds(60))
                        .readTimeout(Duration.ofSeconds(120))
                        .writeTimeout(Duration.ofSeconds(120)))
                .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(s.maxAttempts())));
        if (s.endpoint() != null) {
            b.endpointOverride(s.endpoint());
        }
        return b.build();
    }

    static AwsCredentialsProvider credentials(S3Settings s, Map<String, String> env) {
        if (s.accessKeyIdEnv() != null) {
            String id = requireEnv(s, env, "access_key_id_env", s.accessKeyIdEnv());
            Secret secret = Secret.of(requireEnv(s, env, "secret_access_key_env", s.secretAccessKeyEnv()));
            if (s.sessionTokenEnv() != null) {
                Secret token = Secret.of(requireEnv(s, env, "session_token_env", s.sessionTokenEnv()));
                return StaticCredentialsProvider.create(
                        AwsSessionCredentials.create(id, secret.reveal(), token.reveal()));
            }
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(id, secret.reveal()));
        }
        if (s.profile() != null) {
            return ProfileCredentialsProvider.create(s.profile());
        }
        return DefaultCredentialsProvider.builder().build();
    }

    private static String requireEnv(S3Settings s, Map<String, String> env, String setting, String name) {
        String v = env.get(name);
        if (v == null || v.isEmpty()) {
            throw new LifeboatException(
                    ErrorCode.CONFIG_INVALID,
                    "stores." + s.storeName() + "." + setting + ": environment variable " + name + " is not set",
                    "export " + name + " before running lifeboat, or remove " + setting
                            + " to use the AWS default credential chain");
        }
        return v;
    }

    static Region region(S3Settings s) {
        if (s.region() != null) {
            return Region.of(s.region());
        }
        if (s.endpoint() != null) {
            // S3-compatible stores mostly ignore the region but SigV4 needs one
            return Region.US_EAST_1;
        }
        try {
            return DefaultAwsRegionProviderChain.builder().build().getRegion();
        } catch (SdkException e) {
            throw new LifeboatException(
                    ErrorCode.CONFIG_INVALID,
                    "stores." + s.storeName() + ".region: not set, and none found in AWS_REGION or the AWS profile",
                    "add ?region=<the bucket's region> to the store URI or 'region:' to the store");
        }
    }
}
