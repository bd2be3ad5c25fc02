//! Creates an outbound voice profile that records every outbound call as MP3, one channel per
//! track.
//!
//! ```sh
//! OPENTACT_TOKEN=... cargo run -p opentact-client --example create_voice_profile
//! ```

use opentact_client::{Client, types};

#[tokio::main]
async fn main() -> opentact_client::Result<()> {
    let client = Client::from_env()?;
    // A missing or invalid field is an `Error::InvalidRequest`, and ranges (tech_prefix
    // 100000..=999999, limits >= 0) are checked, before anything is sent.
    let created = client
        .create_outbound_voice_profile(
            types::OutboundVoiceProfileNewParams::builder()
                .name("Outbound US")
                .tech_prefix(482_913)
                .channel_limit(20)
                .max_rate(0.05)
                .daily_spent_limit(50)
                .record_calls(types::EVoiceRecordCallType::AllCalls)
                .filemat(types::EVoiceRecordCallFileType::Mp3)
                .audio_track_type(types::EVoiceRecordCallAudioTrackType::TrackPerChannel),
        )
        .await?;
    println!(
        "created {} ({})",
        created.name.unwrap_or_default(),
        created.uuid.map(|u| u.to_string()).unwrap_or_default()
    );
    Ok(())
}
