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
    // A missing or invalid field is an `Error::InvalidRequest`, before anything is sent.
    let profile: types::OutboundVoiceProfileNewParams = types::OutboundVoiceProfileNewParams::builder()
        .name("Outbound US")
        .tech_prefix(Some(482_913))
        .channel_limit(Some(20.0))
        .max_rate(Some(0.05))
        .daily_spent_limit(Some(50.0))
        .record_calls(Some(types::EVoiceRecordCallType::AllCalls))
        .filemat(Some(types::EVoiceRecordCallFileType::Mp3))
        .audio_track_type(Some(types::EVoiceRecordCallAudioTrackType::TrackPerChannel))
        .try_into()?;

    // Ranges (tech_prefix 100000..=999999, limits >= 0) are checked before anything is sent.
    let created = client.create_outbound_voice_profile(&profile).await?;
    println!(
        "created {} ({})",
        created.name.unwrap_or_default(),
        created.uuid.map(|u| u.to_string()).unwrap_or_default()
    );
    Ok(())
}
